package dev.fugu.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.fugu.kernel.sim.Trace;
import dev.fugu.kernel.stats.RunSummary;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a run's trace as Chrome/Perfetto trace-event JSON (the "JSON Object Format"):
 * {@code pid} 0 is the machine, {@code tid} N is CPU N (named {@code cpuN} by metadata events),
 * thread runs and exit phases are complete ("X") events, IPIs and TLB flushes instants ("i");
 * times are microseconds of simulated time.
 */
final class TraceWriter
{
    private TraceWriter()
    {
    }

    static void write(Path file, Trace trace, RunSummary summary)
    {
        double cyclesPerUs = summary.clockMhz();
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("displayTimeUnit", "ns");
            json.writeObjectFieldStart("otherData");
            json.writeStringField("arch", summary.arch());
            json.writeStringField("exit_model", summary.exitModel());
            json.writeStringField("workload", summary.workload());
            json.writeNumberField("seed", summary.seed());
            json.writeEndObject();
            json.writeArrayFieldStart("traceEvents");
            json.writeStartObject();
            json.writeStringField("name", "process_name");
            json.writeStringField("ph", "M");
            json.writeNumberField("pid", 0);
            json.writeObjectFieldStart("args");
            json.writeStringField("name", "fugu " + summary.arch() + " " + summary.ncpu() + " CPUs, " + summary.exitModel());
            json.writeEndObject();
            json.writeEndObject();
            for (int cpu = 0; cpu < summary.ncpu(); cpu++) {
                json.writeStartObject();
                json.writeStringField("name", "thread_name");
                json.writeStringField("ph", "M");
                json.writeNumberField("pid", 0);
                json.writeNumberField("tid", cpu);
                json.writeObjectFieldStart("args");
                json.writeStringField("name", "cpu" + cpu);
                json.writeEndObject();
                json.writeEndObject();
            }
            for (Trace.Event event : trace.events()) {
                json.writeStartObject();
                json.writeStringField("name", event.name());
                json.writeStringField("cat", event.category());
                json.writeStringField("ph", event.duration() < 0 ? "i" : "X");
                json.writeNumberField("ts", event.start() / cyclesPerUs);
                if (event.duration() >= 0) {
                    json.writeNumberField("dur", event.duration() / cyclesPerUs);
                }
                else {
                    json.writeStringField("s", "t");
                }
                json.writeNumberField("pid", 0);
                json.writeNumberField("tid", event.cpu());
                json.writeObjectFieldStart("args");
                json.writeStringField("detail", event.args());
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (IOException e) {
            throw new UsageException("--trace " + file + ": " + e.getMessage());
        }
    }
}
