package dev.fugu.kernel.proc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A process's children, linked through the children themselves as {@code LIST_ENTRY ps_sibling}
 * links {@code ps_children} in OpenBSD (sys/sys/proc.h), newest first as LIST_INSERT_HEAD keeps
 * them. Adding and removing take constant time: with tens of thousands of children, an array
 * list's shifts on every fork and every reap made a run's host time grow with the square of its
 * size.
 */
public final class ChildList
        implements Iterable<KProcess>
{
    private KProcess head;
    private int size;

    /** LIST_INSERT_HEAD: {@code child} becomes the first (newest) child. */
    public void addFirst(KProcess child)
    {
        if (child.siblingOf != null) {
            throw new IllegalStateException(child + " is already some process's child");
        }
        child.siblingOf = this;
        child.siblingPrev = null;
        child.siblingNext = head;
        if (head != null) {
            head.siblingPrev = child;
        }
        head = child;
        size++;
    }

    /** LIST_REMOVE: removes {@code child} if it is on this list; returns whether it was. */
    public boolean remove(KProcess child)
    {
        if (child.siblingOf != this) {
            return false;
        }
        if (child.siblingPrev == null) {
            head = child.siblingNext;
        }
        else {
            child.siblingPrev.siblingNext = child.siblingNext;
        }
        if (child.siblingNext != null) {
            child.siblingNext.siblingPrev = child.siblingPrev;
        }
        child.siblingOf = null;
        child.siblingPrev = null;
        child.siblingNext = null;
        size--;
        return true;
    }

    public boolean contains(KProcess process)
    {
        return process.siblingOf == this;
    }

    public boolean isEmpty()
    {
        return head == null;
    }

    public int size()
    {
        return size;
    }

    /** A copy of the children, newest first: for loops that move children elsewhere. */
    public List<KProcess> toList()
    {
        List<KProcess> list = new ArrayList<>(size);
        for (KProcess p = head; p != null; p = p.siblingNext) {
            list.add(p);
        }
        return list;
    }

    /**
     * Newest first. The iterator has read the next child before it returns one, so the loop body
     * may remove the child it was given (LIST_FOREACH_SAFE), but no other.
     */
    @Override
    public Iterator<KProcess> iterator()
    {
        return new Iterator<>()
        {
            private KProcess next = head;

            @Override
            public boolean hasNext()
            {
                return next != null;
            }

            @Override
            public KProcess next()
            {
                KProcess current = next;
                if (current == null) {
                    throw new NoSuchElementException();
                }
                next = current.siblingNext;
                return current;
            }
        };
    }

    @Override
    public String toString()
    {
        return toList().toString();
    }
}
