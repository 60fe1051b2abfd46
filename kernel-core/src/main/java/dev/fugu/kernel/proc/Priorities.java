package dev.fugu.kernel.proc;

/**
 * Scheduling priorities from sys/sys/param.h: lower is better; run queue = priority / 4.
 */
public final class Priorities
{
    public static final int PSWP = 0;
    public static final int PVM = 4;
    public static final int PINOD = 8;
    public static final int PRIBIO = 16;
    public static final int PVFS = 20;
    public static final int PZERO = 22;
    public static final int PSOCK = 24;
    public static final int PWAIT = 32;
    public static final int PLOCK = 36;
    public static final int PPAUSE = 40;
    public static final int PUSER = 50;
    public static final int MAXPRI = 127;

    private Priorities()
    {
    }
}
