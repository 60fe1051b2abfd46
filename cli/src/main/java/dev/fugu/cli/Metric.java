package dev.fugu.cli;

import dev.fugu.kernel.stats.RunSummary;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * The simulated metrics compare and sweep report, by the key used in their JSON and CSV. Host
 * timings are deliberately absent: they differ from run to run.
 */
enum Metric
{
    EXIT_LATENCY_MEAN("exit_latency_mean", "exit latency mean", "cycles", s -> s.exitLatency()[0]),
    EXIT_LATENCY_P99("exit_latency_p99", "exit latency p99", "cycles", s -> s.exitLatency()[2]),
    EXIT_LATENCY_MAX("exit_latency_max", "exit latency max", "cycles", s -> s.exitLatency()[3]),
    SWITCHES_PER_EXIT("switches_per_exit", "switches per exit", "", RunSummary::switchesPerExit),
    TEARDOWN_CYCLES("teardown_cycles", "teardown", "cycles", s -> s.teardown().cycles()),
    TEARDOWN_MAX_PARALLEL("teardown_max_parallel", "teardown max_parallel", "", RunSummary::teardownMaxParallel),
    TEARDOWN_CPU_SPREAD("teardown_cpu_spread", "teardown cpu_spread", "CPUs", RunSummary::teardownCpuSpread),
    KERNEL_LOCK_SPIN("kernel_lock_spin_cycles", "kernel_lock spin", "cycles", s -> s.kernelLock()[2]),
    FPAGEQ_SPIN("fpageq_spin_cycles", "fpageq spin", "cycles", s -> s.fpageq()[2]),
    EXIT_SYS_CYCLES("exit_sys_cycles", "exit sys time", "cycles", RunSummary::exitSysCycles),
    SIM_SECONDS("sim_seconds", "sim time", "s", RunSummary::simSeconds);

    private final String key;
    private final String label;
    private final String unit;
    private final ToDoubleFunction<RunSummary> value;

    Metric(String key, String label, String unit, ToDoubleFunction<RunSummary> value)
    {
        this.key = requireNonNull(key, "key is null");
        this.label = requireNonNull(label, "label is null");
        this.unit = requireNonNull(unit, "unit is null");
        this.value = requireNonNull(value, "value is null");
    }

    String key()
    {
        return key;
    }

    String label()
    {
        return label;
    }

    /** Label with its unit, for table rows and plot axes. */
    String title()
    {
        return unit.isEmpty() ? label : label + " (" + unit + ")";
    }

    double of(RunSummary summary)
    {
        return value.applyAsDouble(summary);
    }

    /** Integral metrics print without decimals. */
    boolean fractional()
    {
        return this == SWITCHES_PER_EXIT || this == SIM_SECONDS;
    }

    String format(double v)
    {
        if (this == SIM_SECONDS) {
            return String.format(Locale.ROOT, "%.6f", v);
        }
        if (fractional()) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static Metric parse(String option, String text)
    {
        for (Metric metric : values()) {
            if (metric.key.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return metric;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Metric metric : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(metric.key);
        }
        throw new UsageException(option + " '" + text + "' is not a metric (known: " + known + ")");
    }
}
