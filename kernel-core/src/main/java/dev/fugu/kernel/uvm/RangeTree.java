package dev.fugu.kernel.uvm;

import java.util.List;

/**
 * An intrusive red-black tree of free ranges, as OpenBSD's RBT macros (sys/sys/tree.h) link
 * {@code vm_page}s into uvm_pmemrange's trees: each range carries its own node, so inserting
 * allocates nothing, and predecessors are found by walking links, with no comparisons.
 *
 * <p>It counts what it really does: key comparisons and rotations, which the allocator charges
 * as {@code pmr.compare} and {@code pmr.rotation}. Ordered by start ({@code byAddress}) or by
 * (length, start).
 */
final class RangeTree
{
    /** A range's link in one tree. */
    static final class Node
    {
        final Range range;
        Node left;
        Node right;
        Node parent;
        boolean red;
        boolean linked;

        Node(Range range)
        {
            this.range = range;
        }
    }

    /** A free range: its first frame and length, its two tree nodes and its single-list links. */
    static final class Range
    {
        long start;
        long length;
        Range prev;
        Range next;
        boolean onSingle;
        final Node addrNode = new Node(this);
        final Node sizeNode = new Node(this);
    }

    private final boolean byAddress;
    private Node root;
    // The leftmost and rightmost nodes, kept up to date so first() and last() are O(1) (OpenBSD
    // walks down for RBT_MIN/RBT_MAX; neither makes a comparison, so no counted cost differs).
    private Node min;
    private Node max;
    private long size;
    long comparisons;
    long rotations;

    RangeTree(boolean byAddress)
    {
        this.byAddress = byAddress;
    }

    long size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return root == null;
    }

    private int compare(Range a, Range b)
    {
        comparisons++;
        if (byAddress) {
            return Long.compare(a.start, b.start);
        }
        int c = Long.compare(a.length, b.length);
        return c != 0 ? c : Long.compare(a.start, b.start);
    }

    void insert(Node z)
    {
        Node parent = null;
        Node x = root;
        int c = 0;
        boolean leftmost = true;
        boolean rightmost = true;
        while (x != null) {
            parent = x;
            c = compare(z.range, x.range);
            if (c < 0) {
                rightmost = false;
                x = x.left;
            }
            else {
                leftmost = false;
                x = x.right;
            }
        }
        if (leftmost) {
            min = z;
        }
        if (rightmost) {
            max = z;
        }
        z.parent = parent;
        z.left = null;
        z.right = null;
        z.red = true;
        z.linked = true;
        if (parent == null) {
            root = z;
        }
        else if (c < 0) {
            parent.left = z;
        }
        else {
            parent.right = z;
        }
        size++;
        insertFixup(z);
    }

    void remove(Node z)
    {
        if (z == min) {
            min = nextNode(z);
        }
        if (z == max) {
            max = prevNode(z);
        }
        Node y = z;
        boolean yRed = y.red;
        Node x;
        Node xParent;
        if (z.left == null) {
            x = z.right;
            xParent = z.parent;
            transplant(z, z.right);
        }
        else if (z.right == null) {
            x = z.left;
            xParent = z.parent;
            transplant(z, z.left);
        }
        else {
            y = z.right;
            while (y.left != null) {
                y = y.left;
            }
            yRed = y.red;
            x = y.right;
            if (y.parent == z) {
                xParent = y;
            }
            else {
                xParent = y.parent;
                transplant(y, y.right);
                y.right = z.right;
                y.right.parent = y;
            }
            transplant(z, y);
            y.left = z.left;
            y.left.parent = y;
            y.red = z.red;
        }
        if (!yRed) {
            removeFixup(x, xParent);
        }
        z.left = null;
        z.right = null;
        z.parent = null;
        z.linked = false;
        size--;
    }

    /** The leftmost range (RBT_MIN), or null. */
    Range first()
    {
        return min == null ? null : min.range;
    }

    /** The rightmost range (RBT_MAX), or null. */
    Range last()
    {
        return max == null ? null : max.range;
    }

    /** RBT_NFIND: the first range not ordered before {@code probe}, or null. */
    Range nfind(Range probe)
    {
        Node x = root;
        Node found = null;
        while (x != null) {
            int c = compare(probe, x.range);
            if (c <= 0) {
                found = x;
                if (c == 0) {
                    break;
                }
                x = x.left;
            }
            else {
                x = x.right;
            }
        }
        return found == null ? null : found.range;
    }

    /** The next range in order (RBT_NEXT), by links only. */
    Range next(Node node)
    {
        Node n = nextNode(node);
        return n == null ? null : n.range;
    }

    private static Node nextNode(Node node)
    {
        Node x = node;
        if (x.right != null) {
            x = x.right;
            while (x.left != null) {
                x = x.left;
            }
            return x;
        }
        Node p = x.parent;
        while (p != null && x == p.right) {
            x = p;
            p = p.parent;
        }
        return p;
    }

    /** The previous range in order (RBT_PREV), by links only. */
    Range prev(Node node)
    {
        Node p = prevNode(node);
        return p == null ? null : p.range;
    }

    private static Node prevNode(Node node)
    {
        Node x = node;
        if (x.left != null) {
            x = x.left;
            while (x.right != null) {
                x = x.right;
            }
            return x;
        }
        Node p = x.parent;
        while (p != null && x == p.left) {
            x = p;
            p = p.parent;
        }
        return p;
    }

    /** Checks the red-black and order invariants and the parent links; adds what is wrong. */
    void validate(String name, List<String> problems)
    {
        if (root != null && (root.red || root.parent != null)) {
            problems.add(name + ": bad root");
        }
        long saved = comparisons;
        long[] count = new long[1];
        blackHeight(name, root, problems, count);
        if (count[0] != size) {
            problems.add(name + ": holds " + count[0] + " nodes, size says " + size);
        }
        Node lo = root;
        Node hi = root;
        while (lo != null && lo.left != null) {
            lo = lo.left;
        }
        while (hi != null && hi.right != null) {
            hi = hi.right;
        }
        if (lo != min || hi != max) {
            problems.add(name + ": cached first/last are not the leftmost/rightmost nodes");
        }
        comparisons = saved;
    }

    private int blackHeight(String name, Node x, List<String> problems, long[] count)
    {
        if (x == null) {
            return 1;
        }
        count[0]++;
        if (!x.linked) {
            problems.add(name + ": unlinked node in the tree");
        }
        if (x.left != null && (x.left.parent != x || compare(x.left.range, x.range) >= 0)) {
            problems.add(name + ": bad left child at " + x.range.start);
        }
        if (x.right != null && (x.right.parent != x || compare(x.right.range, x.range) <= 0)) {
            problems.add(name + ": bad right child at " + x.range.start);
        }
        if (x.red && (isRed(x.left) || isRed(x.right))) {
            problems.add(name + ": red node with a red child at " + x.range.start);
        }
        int left = blackHeight(name, x.left, problems, count);
        int right = blackHeight(name, x.right, problems, count);
        if (left != right) {
            problems.add(name + ": black heights differ at " + x.range.start);
        }
        return left + (x.red ? 0 : 1);
    }

    private static boolean isRed(Node x)
    {
        return x != null && x.red;
    }

    private void insertFixup(Node z)
    {
        while (z.parent != null && z.parent.red) {
            Node p = z.parent;
            Node g = p.parent;
            if (p == g.left) {
                Node u = g.right;
                if (isRed(u)) {
                    p.red = false;
                    u.red = false;
                    g.red = true;
                    z = g;
                }
                else {
                    if (z == p.right) {
                        z = p;
                        rotateLeft(z);
                        p = z.parent;
                    }
                    p.red = false;
                    g.red = true;
                    rotateRight(g);
                }
            }
            else {
                Node u = g.left;
                if (isRed(u)) {
                    p.red = false;
                    u.red = false;
                    g.red = true;
                    z = g;
                }
                else {
                    if (z == p.left) {
                        z = p;
                        rotateRight(z);
                        p = z.parent;
                    }
                    p.red = false;
                    g.red = true;
                    rotateLeft(g);
                }
            }
        }
        root.red = false;
    }

    private void removeFixup(Node x, Node parent)
    {
        while (x != root && !isRed(x)) {
            if (x == parent.left) {
                Node w = parent.right;
                if (isRed(w)) {
                    w.red = false;
                    parent.red = true;
                    rotateLeft(parent);
                    w = parent.right;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = parent;
                    parent = x.parent;
                }
                else {
                    if (!isRed(w.right)) {
                        w.left.red = false;
                        w.red = true;
                        rotateRight(w);
                        w = parent.right;
                    }
                    w.red = parent.red;
                    parent.red = false;
                    if (w.right != null) {
                        w.right.red = false;
                    }
                    rotateLeft(parent);
                    x = root;
                    parent = null;
                }
            }
            else {
                Node w = parent.left;
                if (isRed(w)) {
                    w.red = false;
                    parent.red = true;
                    rotateRight(parent);
                    w = parent.left;
                }
                if (!isRed(w.right) && !isRed(w.left)) {
                    w.red = true;
                    x = parent;
                    parent = x.parent;
                }
                else {
                    if (!isRed(w.left)) {
                        w.right.red = false;
                        w.red = true;
                        rotateLeft(w);
                        w = parent.left;
                    }
                    w.red = parent.red;
                    parent.red = false;
                    if (w.left != null) {
                        w.left.red = false;
                    }
                    rotateRight(parent);
                    x = root;
                    parent = null;
                }
            }
        }
        if (x != null) {
            x.red = false;
        }
    }

    private void transplant(Node u, Node v)
    {
        if (u.parent == null) {
            root = v;
        }
        else if (u == u.parent.left) {
            u.parent.left = v;
        }
        else {
            u.parent.right = v;
        }
        if (v != null) {
            v.parent = u.parent;
        }
    }

    private void rotateLeft(Node x)
    {
        rotations++;
        Node y = x.right;
        x.right = y.left;
        if (y.left != null) {
            y.left.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        }
        else if (x == x.parent.left) {
            x.parent.left = y;
        }
        else {
            x.parent.right = y;
        }
        y.left = x;
        x.parent = y;
    }

    private void rotateRight(Node x)
    {
        rotations++;
        Node y = x.left;
        x.left = y.right;
        if (y.right != null) {
            y.right.parent = x;
        }
        y.parent = x.parent;
        if (x.parent == null) {
            root = y;
        }
        else if (x == x.parent.right) {
            x.parent.right = y;
        }
        else {
            x.parent.left = y;
        }
        y.right = x;
        x.parent = y;
    }
}
