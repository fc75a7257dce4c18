package io.learnflow.pgk8s.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.learnflow.pgk8s.Pgk8sException;
import io.learnflow.pgk8s.db.ConnectionSettings;

/** Polls until ready, reporting each change of state once, like kubectl's rollout status. */
public final class Waiter {
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Supplier<DbSnapshot> probe;
    private final LongSupplier nanoTime;
    private final Pause pause;

    public Waiter(Supplier<DbSnapshot> probe, LongSupplier nanoTime, Pause pause) {
        this.probe = probe;
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    public static Waiter polling(DbProbe dbProbe, ConnectionSettings target) {
        return new Waiter(() -> dbProbe.probe(target), System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    /** Returns the ready verdict; throws a failure with the last reason on timeout. */
    public Readiness.Verdict await(List<Integer> available, int target, Duration timeout, Duration interval,
            Consumer<String> onChange) {
        return await(s -> Readiness.evaluate(s, available, target), timeout, interval, onChange, "--timeout");
    }

    /**
     * @param rule          the verdict on each snapshot
     * @param timeoutOption the option that sets {@code timeout}, for the message
     * @throws Pgk8sException exit 1 with the last reason on timeout
     */
    public Readiness.Verdict await(Function<DbSnapshot, Readiness.Verdict> rule, Duration timeout, Duration interval,
            Consumer<String> onChange, String timeoutOption) {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        String last = null;
        while (true) {
            Readiness.Verdict verdict = rule.apply(probe.get());
            if (verdict.ready()) {
                return verdict;
            }
            if (!Objects.equals(last, verdict.message())) {
                onChange.accept(verdict.message());
                last = verdict.message();
            }
            if (nanoTime.getAsLong() >= deadline) {
                throw Pgk8sException.failed("timed out after " + timeout.toSeconds() + "s " + last
                        + "; check the database or raise " + timeoutOption);
            }
            try {
                pause.pause(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Pgk8sException.failed("interrupted " + last);
            }
        }
    }
}
