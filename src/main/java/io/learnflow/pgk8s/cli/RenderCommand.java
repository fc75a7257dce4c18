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
        description = "Print the PostgreSQL manifests in apply order, as deploy applies them. Touches no cluster;"
                + " prod leaves out its Secrets, which deploy prod makes once.")
public class RenderCommand implements Runnable {
    @Mixin
    ProfileOption profile;
    @Option(names = { "-o", "--output" }, defaultValue = "yaml", paramLabel = "FORMAT", description = "yaml or json")
    Format output;
    @Spec
    CommandSpec spec;

    enum Format {
        YAML, JSON
    }

    @Override
    public void run() {
        List<HasMetadata> objects = Manifests.forRender(profile.profile(), InitialSchema.bundled());
        String text = output == Format.JSON ? ManifestText.json(objects) : ManifestText.yaml(objects);
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
    }
}
