package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.learnflow.pgk8s.testing.controlplane.ControlPlane.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one control plane with kwok's fake node per test run, shared by every test class that uses this
 * extension, and stops it when the run ends, whether tests failed or not. Injects {@link ControlPlane}
 * and its admin {@link KubernetesClient} into constructors and test methods.
 * {@link RealNodeExtension} does the same with a real node.
 */
public class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ControlPlaneExtension.class);

    private final Tier tier;

    public ControlPlaneExtension() {
        this(Tier.KWOK);
    }

    ControlPlaneExtension(Tier tier) {
        this.tier = tier;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        controlPlane(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ControlPlane.class || type == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ControlPlane controlPlane = controlPlane(context);
        return parameter.getParameter().getType() == ControlPlane.class ? controlPlane : controlPlane.client();
    }

    // The root store closes its AutoCloseable values when the whole run ends. A test that stopped the
    // shared cluster itself (to check what stopping does) gets a new one for the tests after it.
    private ControlPlane controlPlane(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        ControlPlane controlPlane = store.get(tier, ControlPlane.class);
        if (controlPlane == null || controlPlane.isStopped()) {
            controlPlane = ControlPlane.start(projectDir(), tier);
            store.put(tier, controlPlane);
        }
        return controlPlane;
    }

    private static Path projectDir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("src/test/controlplane/start.sh"))) {
                return d;
            }
        }
        throw new IllegalStateException("no src/test/controlplane/start.sh above " + dir);
    }
}
