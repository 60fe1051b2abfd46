package dev.fugu.cli;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes regress results as JUnit XML (the Ant/Surefire schema CI systems read): one
 * {@code testsuite} per machine of the matrix, one {@code testcase} per scenario, with
 * {@code failure} or {@code skipped} children.
 */
final class JunitXml
{
    private JunitXml()
    {
    }

    static void write(Path file, List<RegressResult> results)
    {
        Map<String, List<RegressResult>> bySuite = new LinkedHashMap<>();
        for (RegressResult result : results) {
            bySuite.computeIfAbsent(result.machine().key(), key -> new java.util.ArrayList<>()).add(result);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "fugu regress");
            counts(xml, results);
            xml.writeCharacters("\n");
            for (Map.Entry<String, List<RegressResult>> suite : bySuite.entrySet()) {
                xml.writeCharacters("  ");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", "fugu.regress." + suite.getKey());
                counts(xml, suite.getValue());
                xml.writeCharacters("\n");
                for (RegressResult result : suite.getValue()) {
                    xml.writeCharacters("    ");
                    xml.writeStartElement("testcase");
                    xml.writeAttribute("classname", "fugu.regress." + suite.getKey());
                    xml.writeAttribute("name", result.scenario());
                    xml.writeAttribute("time", seconds(result.hostMs()));
                    switch (result.status()) {
                        case FAIL -> {
                            xml.writeStartElement("failure");
                            xml.writeAttribute("message", result.message());
                            xml.writeCharacters(result.message());
                            xml.writeEndElement();
                        }
                        case SKIP -> {
                            xml.writeEmptyElement("skipped");
                            xml.writeAttribute("message", result.message());
                        }
                        case OK -> {
                            if (!result.message().isEmpty()) {
                                xml.writeStartElement("system-out");
                                xml.writeCharacters(result.message());
                                xml.writeEndElement();
                            }
                        }
                    }
                    xml.writeEndElement();
                    xml.writeCharacters("\n");
                }
                xml.writeCharacters("  ");
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void counts(XMLStreamWriter xml, List<RegressResult> results)
            throws XMLStreamException
    {
        xml.writeAttribute("tests", Integer.toString(results.size()));
        xml.writeAttribute("failures", Long.toString(results.stream().filter(r -> r.status() == RegressResult.Status.FAIL).count()));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", Long.toString(results.stream().filter(r -> r.status() == RegressResult.Status.SKIP).count()));
        xml.writeAttribute("time", seconds(results.stream().mapToDouble(RegressResult::hostMs).sum()));
    }

    private static String seconds(double ms)
    {
        return String.format(Locale.ROOT, "%.3f", ms / 1000);
    }
}
