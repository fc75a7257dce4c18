package io.learnflow.pgk8s.testing.controlplane;

import io.learnflow.pgk8s.testing.controlplane.ControlPlane.Tier;

/**
 * {@link ControlPlaneExtension} with a real node instead of kwok's fake one ({@code start.sh --real-node}):
 * pods run real containers. One per test run, and one per machine (start.sh takes a machine-wide lock).
 * A machine that cannot run it (no root, a missing package, the node held by another run) fails the test
 * with the reason; it never skips.
 */
public final class RealNodeExtension extends ControlPlaneExtension {

    public RealNodeExtension() {
        super(Tier.REAL_NODE);
    }
}
