package org.mlregistry.web.page;

import gg.jte.html.HtmlTemplateOutput;
import gg.jte.output.Utf8ByteOutput;
import java.util.function.Consumer;
import org.mlregistry.web.templates.JtecompareGenerated;
import org.mlregistry.web.templates.JteerrorGenerated;
import org.mlregistry.web.templates.JteexperimentGenerated;
import org.mlregistry.web.templates.JteexperimentsGenerated;
import org.mlregistry.web.templates.JtehomeGenerated;
import org.mlregistry.web.templates.JtemodelGenerated;
import org.mlregistry.web.templates.JtemodelsGenerated;
import org.mlregistry.web.templates.JterunGenerated;
import org.mlregistry.web.templates.JtesigninGenerated;
import org.mlregistry.web.templates.JteversionGenerated;
import org.mlregistry.web.view.CompareView;
import org.mlregistry.web.view.ErrorView;
import org.mlregistry.web.view.ExperimentView;
import org.mlregistry.web.view.ExperimentsView;
import org.mlregistry.web.view.HomeView;
import org.mlregistry.web.view.ModelView;
import org.mlregistry.web.view.ModelsView;
import org.mlregistry.web.view.RunView;
import org.mlregistry.web.view.SignInView;
import org.mlregistry.web.view.VersionView;
import org.mlregistry.web.view.VisibleText;

/**
 * Renders each view with its template, compiled to Java at build time (so javac checked every expression in it), into
 * UTF-8 bytes through jte's OWASP encoder, which escapes every value for the HTML context it lands in, after
 * {@link VisibleText} has made its hidden characters visible.
 */
final class Templates {

    private Templates() {
    }

    static byte[] home(HomeView view) {
        return render(out -> JtehomeGenerated.render(out, null, view));
    }

    static byte[] signIn(SignInView view) {
        return render(out -> JtesigninGenerated.render(out, null, view));
    }

    static byte[] error(ErrorView view) {
        return render(out -> JteerrorGenerated.render(out, null, view));
    }

    static byte[] models(ModelsView view) {
        return render(out -> JtemodelsGenerated.render(out, null, view));
    }

    static byte[] model(ModelView view) {
        return render(out -> JtemodelGenerated.render(out, null, view));
    }

    static byte[] version(VersionView view) {
        return render(out -> JteversionGenerated.render(out, null, view));
    }

    static byte[] experiments(ExperimentsView view) {
        return render(out -> JteexperimentsGenerated.render(out, null, view));
    }

    static byte[] experiment(ExperimentView view) {
        return render(out -> JteexperimentGenerated.render(out, null, view));
    }

    static byte[] run(RunView view) {
        return render(out -> JterunGenerated.render(out, null, view));
    }

    static byte[] compare(CompareView view) {
        return render(out -> JtecompareGenerated.render(out, null, view));
    }

    private static byte[] render(Consumer<HtmlTemplateOutput> template) {
        Utf8ByteOutput bytes = new Utf8ByteOutput();
        template.accept(new VisibleText.Output(bytes));
        return bytes.toByteArray();
    }
}
