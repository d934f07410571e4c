package org.mlregistry.core.http.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntityTagTest {

    @Test
    void parsesListsWithWeakAndStrongTags() {
        assertThat(EntityTag.parseList("\"a\", W/\"b\",\"c\"")).containsExactly(
                EntityTag.strong("a"), new EntityTag("b", true), EntityTag.strong("c"));
        assertThat(EntityTag.parseList("")).isEmpty();
    }

    @Test
    void rejectsMalformedLists() {
        assertThat(EntityTag.parseList("a")).isNull();
        assertThat(EntityTag.parseList("\"a")).isNull();
        assertThat(EntityTag.parseList("\"a\" \"b\"")).isNull();
        assertThat(EntityTag.parseList("\"a b\"")).isNull();
    }

    @Test
    void comparesStronglyAndWeakly() {
        EntityTag strong = EntityTag.strong("x");
        EntityTag weak = new EntityTag("x", true);
        assertThat(strong.strongMatch(strong)).isTrue();
        assertThat(strong.strongMatch(weak)).isFalse();
        assertThat(strong.weakMatch(weak)).isTrue();
        assertThat(EntityTag.strong("y").weakMatch(weak)).isFalse();
    }

    @Test
    void readsAllThreeHttpDateForms() {
        Instant expected = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(expected);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(expected);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(expected);
        assertThat(HttpDates.parse("06 Nov 1994")).isEmpty();
        assertThat(HttpDates.format(expected)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
