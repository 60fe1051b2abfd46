package dev.fugu.cli;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.fugu.kernel.stats.RunSummary;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plots for compare and sweep with XChart, headless: several charts painted onto one canvas, a
 * VectorGraphics2D canvas for SVG (text stays text, so the file is searchable and diffable) or a
 * BufferedImage for PNG.
 */
final class Plots
{
    static final int PANEL_WIDTH = 480;
    static final int PANEL_HEIGHT = 320;
    static final int COLUMNS = 3;
    static final String METADATA_NAMESPACE = "https://fugu.dev/ns/plot";

    enum Format
    {
        SVG, PNG
    }

    private Plots()
    {
    }

    /** The format named by the file's extension; anything else is a usage error naming {@code option}. */
    static Format format(String option, Path file)
    {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            return Format.SVG;
        }
        if (name.endsWith(".png")) {
            return Format.PNG;
        }
        throw new UsageException(option + " " + file + ": the file name must end in .svg or .png");
    }

    /** One bar chart per metric: categories arch/ncpu, one series per variant. */
    static List<CategoryChart> compareCharts(List<CompareCommand.CellResult> results)
    {
        List<String> categories = results.stream().map(r -> r.cell().label()).toList();
        List<CategoryChart> charts = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            CategoryChart chart = new CategoryChartBuilder()
                    .width(PANEL_WIDTH)
                    .height(PANEL_HEIGHT)
                    .title(metric.title())
                    .xAxisTitle("arch/ncpu")
                    .build();
            style(chart);
            // below the plot area, so the legend never hides a bar
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
            for (Variant variant : Variant.ALL) {
                List<Double> values = new ArrayList<>();
                for (CompareCommand.CellResult result : results) {
                    RunSummary summary = result.byVariant().get(variant);
                    values.add(metric.of(summary));
                }
                chart.addSeries(variant.name(), categories, values);
            }
            charts.add(chart);
        }
        return charts;
    }

    static void writeCompare(Path file, Format format, List<CompareCommand.CellResult> results)
    {
        write(file, format, compareCharts(results));
    }

    /** A sweep series: one exit design on one architecture, a point per CPU count. */
    record Series(String name, List<Integer> ncpus, List<ConfidenceInterval> values)
    {
    }

    /** {@code metric} against ncpu, a line per series, with the 95% interval as error bars. */
    static XYChart sweepChart(Metric metric, List<Series> series)
    {
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH * 2)
                .height(PANEL_HEIGHT * 2)
                .title(metric.title() + ", mean and 95% CI over seeds")
                .xAxisTitle("ncpu")
                .yAxisTitle(metric.title())
                .build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        for (Series s : series) {
            double[] x = s.ncpus().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] y = s.values().stream().mapToDouble(ConfidenceInterval::mean).toArray();
            double[] error = s.values().stream().mapToDouble(ConfidenceInterval::halfWidth).toArray();
            chart.addSeries(s.name(), x, y, error);
        }
        return chart;
    }

    private static void style(Chart<?, ?> chart)
    {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
    }

    /** Paints {@code charts} in a grid of at most {@link #COLUMNS} columns and writes the file. */
    static void write(Path file, Format format, List<? extends Chart<?, ?>> charts)
    {
        int columns = Math.min(COLUMNS, charts.size());
        int rows = (charts.size() + columns - 1) / columns;
        int panelWidth = charts.get(0).getWidth();
        int panelHeight = charts.get(0).getHeight();
        int width = columns * panelWidth;
        int height = rows * panelHeight;
        try (OutputStream out = Files.newOutputStream(file)) {
            if (format == Format.SVG) {
                VectorGraphics2D graphics = new VectorGraphics2D();
                paint(graphics, charts, columns, width, height);
                Document document = new SVGProcessor().getDocument(graphics.getCommands(), new PageSize(0, 0, width, height));
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                document.writeTo(svg);
                out.write(withMetadata(svg.toString(StandardCharsets.UTF_8), charts).getBytes(StandardCharsets.UTF_8));
            }
            else {
                BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D graphics = image.createGraphics();
                graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                paint(graphics, charts, columns, width, height);
                graphics.dispose();
                ImageIO.write(image, "png", out);
            }
        }
        catch (IOException e) {
            throw new UsageException("--plot " + file + ": " + e.getMessage());
        }
    }

    /**
     * XChart draws text as outlines, so the SVG alone does not say what it shows: a
     * {@code <metadata>} element lists each panel's title and series, for tools and tests.
     */
    static String withMetadata(String svg, List<? extends Chart<?, ?>> charts)
    {
        StringBuilder metadata = new StringBuilder();
        metadata.append("\n  <metadata>\n    <fugu:plot xmlns:fugu=\"").append(METADATA_NAMESPACE).append("\">\n");
        for (Chart<?, ?> chart : charts) {
            metadata.append("      <fugu:panel title=\"").append(xml(chart.getTitle())).append("\">\n");
            for (var series : chart.getSeriesCollection()) {
                metadata.append("        <fugu:series name=\"").append(xml(series.getName())).append("\"/>\n");
            }
            metadata.append("      </fugu:panel>\n");
        }
        metadata.append("    </fugu:plot>\n  </metadata>");
        int svgStart = svg.indexOf("<svg");
        int tagEnd = svg.indexOf('>', svgStart);
        return svg.substring(0, tagEnd + 1) + metadata + svg.substring(tagEnd + 1);
    }

    private static String xml(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void paint(Graphics2D graphics, List<? extends Chart<?, ?>> charts, int columns, int width, int height)
    {
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        for (int i = 0; i < charts.size(); i++) {
            Chart<?, ?> chart = charts.get(i);
            Graphics2D panel = (Graphics2D) graphics.create((i % columns) * chart.getWidth(), (i / columns) * chart.getHeight(),
                    chart.getWidth(), chart.getHeight());
            chart.paint(panel, chart.getWidth(), chart.getHeight());
            panel.dispose();
        }
    }
}
