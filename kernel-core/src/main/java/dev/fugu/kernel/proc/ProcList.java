package dev.fugu.kernel.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * A process list linked through the processes themselves, as {@code LIST_ENTRY p_list} links
 * allprocess and zombprocess in OpenBSD: adding and removing allocate nothing and hash nothing.
 * Kept in the order processes were added.
 */
final class ProcList
{
    private KProcess head;
    private KProcess tail;
    private int size;

    /** Appends {@code process}; no-op if it is on this list already. */
    void add(KProcess process)
    {
        if (process.list == this) {
            return;
        }
        if (process.list != null) {
            throw new IllegalStateException(process + " is already on a process list");
        }
        process.list = this;
        process.listPrev = tail;
        process.listNext = null;
        if (tail == null) {
            head = process;
        }
        else {
            tail.listNext = process;
        }
        tail = process;
        size++;
    }

    /** Removes {@code process} if it is on this list. */
    void remove(KProcess process)
    {
        if (process.list != this) {
            return;
        }
        if (process.listPrev == null) {
            head = process.listNext;
        }
        else {
            process.listPrev.listNext = process.listNext;
        }
        if (process.listNext == null) {
            tail = process.listPrev;
        }
        else {
            process.listNext.listPrev = process.listPrev;
        }
        process.list = null;
        process.listPrev = null;
        process.listNext = null;
        size--;
    }

    int size()
    {
        return size;
    }

    /** The processes, in the order they were added. */
    List<KProcess> toList()
    {
        List<KProcess> list = new ArrayList<>(size);
        for (KProcess p = head; p != null; p = p.listNext) {
            list.add(p);
        }
        return list;
    }
}
