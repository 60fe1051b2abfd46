package dev.fugu.kernel.uvm;

/** What fork does with a map entry: MAP_INHERIT_SHARE, MAP_INHERIT_COPY, MAP_INHERIT_NONE (sys/mman.h). */
public enum MapInherit
{
    /** The child maps the same amap: both see each other's writes. */
    SHARE,
    /** The child gets a copy-on-write copy (the default for private memory). */
    COPY,
    /** The child does not get the range. */
    NONE,
}
