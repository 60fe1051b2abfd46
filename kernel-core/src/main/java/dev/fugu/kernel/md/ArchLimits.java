package dev.fugu.kernel.md;

/**
 * Hard limits of an OpenBSD port: {@code MAXCPUS} and the most physical memory it can use.
 */
public record ArchLimits(int maxCpus, long maxMemBytes)
{
    public ArchLimits
    {
        if (maxCpus < 1) {
            throw new IllegalArgumentException("maxCpus must be positive");
        }
        if (maxMemBytes < 1) {
            throw new IllegalArgumentException("maxMemBytes must be positive");
        }
    }
}
