package org.mlregistry.web.markdown;

import java.util.List;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;
import org.mlregistry.web.view.Markdown;
import org.mlregistry.web.view.VisibleText;

/**
 * Renders model cards and descriptions with commonmark-java: raw HTML in the source is escaped (shown as text, never
 * parsed by the browser), link and image targets other than {@code http}, {@code https}, {@code mailto} and relative
 * ones are dropped ({@code javascript:} and {@code data:} links become inert), images are shown as links to them,
 * hidden characters in the text are shown
 * ({@link VisibleText}, applied after parsing, so neither a numeric character reference (U+202E written as an entity) brings one
 * back nor a marker becomes Markdown syntax), and input is capped so a huge card costs bounded work.
 *
 * <p>Threading: immutable; safe for concurrent use (commonmark's parser and renderer are).
 */
public final class MarkdownRenderer {

    /** The longest source rendered; the rest is cut, with a note. */
    public static final int MAX_SOURCE_CHARS = 256 * 1024;

    private final Parser parser = Parser.builder().build();
    // commonmark's default list also lets data: through; a card has no need of it
    private final HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
            .urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https", "mailto"))).percentEncodeUrls(true).build();

    /** {@code source} as safe HTML. */
    public Markdown render(String source) {
        String text = source.length() > MAX_SOURCE_CHARS
                ? source.substring(0, MAX_SOURCE_CHARS) + "\n\n*(cut: the text is longer than the page shows)*"
                : source;
        Node document = parser.parse(text);
        document.accept(new ShowHidden());
        return new Markdown(renderer.render(document));
    }

    /** Shows the hidden characters of every text the card displays. */
    private static final class ShowHidden extends AbstractVisitor {
        @Override
        public void visit(Text text) {
            text.setLiteral(VisibleText.of(text.getLiteral()));
        }

        @Override
        public void visit(Code code) {
            code.setLiteral(VisibleText.of(code.getLiteral()));
        }

        @Override
        public void visit(FencedCodeBlock block) {
            block.setLiteral(VisibleText.of(block.getLiteral()));
        }

        @Override
        public void visit(IndentedCodeBlock block) {
            block.setLiteral(VisibleText.of(block.getLiteral()));
        }

        @Override
        public void visit(HtmlInline html) {
            html.setLiteral(VisibleText.of(html.getLiteral()));
        }

        @Override
        public void visit(HtmlBlock html) {
            html.setLiteral(VisibleText.of(html.getLiteral()));
        }

        @Override
        public void visit(Link link) {
            if (link.getTitle() != null) {
                link.setTitle(VisibleText.of(link.getTitle()));
            }
            visitChildren(link);
        }

        /**
         * An image becomes a link to it: a card's image could name any file of the registry (the page allows images
         * from its own origin), and every visitor's browser would fetch it, however big, without being asked.
         */
        @Override
        public void visit(Image image) {
            Link link = new Link(image.getDestination(), image.getTitle() == null ? null : VisibleText.of(image.getTitle()));
            Node child = image.getFirstChild();
            while (child != null) {
                Node next = child.getNext();
                link.appendChild(child);
                child = next;
            }
            if (link.getFirstChild() == null) {
                link.appendChild(new Text("image"));
            }
            image.insertBefore(link);
            image.unlink();
            visitChildren(link);
        }
    }
}
