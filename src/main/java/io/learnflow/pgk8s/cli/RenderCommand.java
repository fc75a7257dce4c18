package io.learnflow.pgk8s.cli;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.learnflow.pgk8s.cli.options.ProfileOption;
import io.learnflow.pgk8s.manifest.InitialSchema;
import io.learnflow.pgk8s.manifest.ManifestText;
import io.learnflow.pgk8s.manifest.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print manifests in apply order: PostgreSQL's as deploy applies them, or the toolkit's, or the"
                + " example services'. Touches no cluster; prod leaves out its Secrets, which deploy prod makes once.")
public class RenderCommand implements Runnable {
    @Mixin
    ProfileOption profile;
    @Option(names = { "-o", "--output" }, defaultValue = "yaml", paramLabel = "FORMAT", description = "yaml or json")
    Format output;
    @Option(names = "--component", defaultValue = "postgres", paramLabel = "NAME",
            description = "postgres (what deploy applies), pgk8s (the toolkit's RBAC, Jobs and CronJob) or services"
                    + " (the example Progress and Triage); default ${DEFAULT-VALUE}")
    Manifests.Component component;
    @Spec
    CommandSpec spec;

    enum Format {
        YAML, JSON
    }

    @Override
    public void run() {
        List<HasMetadata> objects = Manifests.forRender(component, profile.profile(), InitialSchema.bundled());
        String text = output == Format.JSON ? ManifestText.json(objects) : ManifestText.yaml(objects);
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
    }
}
