package dev.fugu.kernel.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MI/MD split: kernel-core depends on no architecture plug-in and no front end, and the SPI
 * package stays a package of interfaces and values that plug-ins can depend on alone.
 */
class TestLayering
{
    private static JavaClasses kernelCore;

    @BeforeAll
    static void importClasses()
    {
        kernelCore = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fugu.kernel");
    }

    @Test
    void kernelCoreDependsOnNoArchModuleOrCli()
    {
        noClasses().that().resideInAPackage("dev.fugu.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.fugu.arch..", "dev.fugu.cli..")
                .check(kernelCore);
    }

    @Test
    void kernelCorePomDeclaresNoArchModule()
            throws Exception
    {
        Path pom = Path.of("pom.xml");
        assertThat(pom).exists();
        String text = Files.readString(pom);
        assertThat(text).contains("<artifactId>kernel-core</artifactId>");
        assertThat(text.replaceAll("(?s)<exclude>.*?</exclude>", ""))
                .doesNotContainPattern("<artifactId>arch-[a-z0-9]+</artifactId>")
                .doesNotContain("<artifactId>cli</artifactId>");
    }

    @Test
    void noArchPluginIsOnKernelCoresClassPath()
    {
        assertThat(getClass().getClassLoader().getResource("dev/fugu/arch")).isNull();
    }

    @Test
    void spiDependsOnlyOnTheJdkAndGuicesModuleType()
    {
        classes().that().resideInAPackage("dev.fugu.kernel.md")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.fugu.kernel.md", "com.google.inject")
                .check(kernelCore);
    }

    @Test
    void nobodyUsesJavaxInject()
    {
        noClasses().should().dependOnClassesThat().resideInAPackage("javax.inject..").check(kernelCore);
    }
}
