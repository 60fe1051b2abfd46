package dev.fugu.kernel.md;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * An immutable table of step costs in cycles, keyed by name. Plug-ins read the numbers they
 * need once, when the machine is built, never in the simulation loop.
 */
public final class CostTable
{
    private final Map<String, CostEntry> entries;

    private CostTable(Map<String, CostEntry> entries)
    {
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static CostTable of(Collection<CostEntry> entries)
    {
        Map<String, CostEntry> map = new TreeMap<>();
        for (CostEntry entry : entries) {
            if (map.put(entry.key(), entry) != null) {
                throw new IllegalArgumentException("duplicate cost key: " + entry.key());
            }
        }
        return new CostTable(map);
    }

    /** The cycles of {@code key}; an unknown key is a programming error. */
    public long cycles(String key)
    {
        CostEntry entry = entries.get(requireNonNull(key, "key is null"));
        if (entry == null) {
            throw new IllegalArgumentException("no cost named " + key);
        }
        return entry.cycles();
    }

    public boolean contains(String key)
    {
        return entries.containsKey(key);
    }

    /** Entries sorted by key. */
    public Collection<CostEntry> entries()
    {
        return entries.values();
    }

    /** This table and {@code other}'s entries together; a key in both is an error. */
    public CostTable plus(CostTable other)
    {
        Map<String, CostEntry> map = new TreeMap<>(entries);
        for (CostEntry entry : other.entries()) {
            if (map.put(entry.key(), entry) != null) {
                throw new IllegalArgumentException("duplicate cost key: " + entry.key());
            }
        }
        return new CostTable(map);
    }

    /**
     * This table with some cycles replaced. A key the table does not have is rejected with an
     * {@link IllegalArgumentException} naming it.
     */
    public CostTable withOverrides(Map<String, Long> overrides)
    {
        Map<String, CostEntry> map = new LinkedHashMap<>(entries);
        for (Map.Entry<String, Long> override : overrides.entrySet()) {
            CostEntry entry = map.get(override.getKey());
            if (entry == null) {
                throw new IllegalArgumentException("unknown cost key '" + override.getKey() + "'");
            }
            map.put(entry.key(), entry.withCycles(override.getValue()));
        }
        return new CostTable(new TreeMap<>(map));
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof CostTable other && entries.equals(other.entries);
    }

    @Override
    public int hashCode()
    {
        return entries.hashCode();
    }

    @Override
    public String toString()
    {
        return "CostTable" + entries.keySet();
    }
}
