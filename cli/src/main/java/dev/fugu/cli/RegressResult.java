package dev.fugu.cli;

import dev.fugu.kernel.exit.ExitModel;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of one scenario on one machine configuration.
 *
 * @param scenario the scenario's name
 * @param machine where it ran
 * @param status ok, FAIL or skipped
 * @param message why it failed or was skipped, or a note on a pass (an expected panic); "" when none
 * @param simSeconds simulated time the run took (0 when skipped)
 * @param hostMs host time spent running the simulation (0 when skipped)
 */
record RegressResult(String scenario, RegressMachine machine, Status status, String message, double simSeconds, double hostMs)
{
    enum Status
    {
        OK, FAIL, SKIP
    }

    /**
     * One cell of the {@code fugu test} matrix.
     */
    record RegressMachine(String arch, int ncpu, ExitModel exitModel)
    {
        RegressMachine
        {
            requireNonNull(arch, "arch is null");
            requireNonNull(exitModel, "exitModel is null");
        }

        /** For JUnit XML suite names and report tables: {@code amd64.ncpu2.direct}. */
        String key()
        {
            return arch + ".ncpu" + ncpu + "." + exitModel.key();
        }
    }

    RegressResult
    {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(machine, "machine is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }

    /** The word a regress run prints for it. */
    String word()
    {
        return switch (status) {
            case OK -> "ok";
            case FAIL -> "FAIL";
            case SKIP -> "skipped";
        };
    }
}
