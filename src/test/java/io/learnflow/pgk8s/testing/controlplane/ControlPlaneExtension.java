package io.learnflow.pgk8s.testing.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one control plane per test run, shared by every test class that uses this extension,
 * and stops it when the run ends, whether tests failed or not. Injects {@link ControlPlane}
 * and its admin {@link KubernetesClient} into constructors and test methods.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ControlPlaneExtension.class);

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

    // The root store closes its AutoCloseable values when the whole run ends.
    private static ControlPlane controlPlane(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(ControlPlane.class, type -> ControlPlane.start(projectDir()), ControlPlane.class);
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
