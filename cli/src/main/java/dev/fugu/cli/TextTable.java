package dev.fugu.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: the first column left-aligned, the others right-aligned, two spaces apart.
 */
final class TextTable
{
    private final List<List<String>> rows = new ArrayList<>();

    TextTable row(List<String> cells)
    {
        rows.add(List.copyOf(cells));
        return this;
    }

    void print(PrintWriter out)
    {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                if (i == 0) {
                    line.append(cell).append(" ".repeat(widths[0] - cell.length()));
                }
                else {
                    line.append("  ").append(" ".repeat(widths[i] - cell.length())).append(cell);
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
