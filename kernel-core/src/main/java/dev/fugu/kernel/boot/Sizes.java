package dev.fugu.kernel.boot;

import java.util.Locale;

/**
 * Memory sizes as users write them: {@code 1G}, {@code 512M}, {@code 64K}, or plain bytes.
 */
public final class Sizes
{
    private Sizes()
    {
    }

    /**
     * Parses a size. A suffix K, M, G or T (case-insensitive, an optional trailing B) multiplies
     * by 2^10, 2^20, 2^30, 2^40.
     *
     * @throws IllegalArgumentException with a one-line message when {@code text} is no size
     */
    public static long parse(String text)
    {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 15) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1G, 512M, 65536)");
        }
        long value = Long.parseLong(digits);
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return value << shift;
    }

    /** The shortest exact form: 1G, 512M, 4K, or bytes. */
    public static String format(long bytes)
    {
        String[] suffixes = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < suffixes.length; i++) {
            if (bytes >= (1L << shifts[i]) && bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }
}
