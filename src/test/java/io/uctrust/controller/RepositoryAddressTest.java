package io.uctrust.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A webhook names a repository by any of its URLs; they all match the configured one, and others do not. */
class RepositoryAddressTest {

  private static final String CONFIGURED = "https://github.com/example/desired.git";

  @ParameterizedTest
  @ValueSource(strings = {
      "https://github.com/example/desired",
      "https://github.com/example/desired.git",
      "https://github.com/example/desired/",
      "http://github.com/Example/Desired",
      "https://x-access-token@github.com/example/desired.git",
      "git@github.com:example/desired.git",
      "git@github.com:example/desired",
      "ssh://git@github.com/example/desired.git",
      "ssh://git@github.com:22/example/desired",
      "git://github.com/example/desired.git",
      "GitHub.com:example/desired"})
  void everyFormOfTheSameRepositoryMatches(String url) {
    assertThat(RepositoryAddress.same(url, CONFIGURED)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://github.com/example/desired-state",
      "https://github.com/other/desired",
      "https://gitlab.com/example/desired",
      "git@github.com:example/desired/sub",
      "example/desired"})
  void anotherRepositoryDoesNot(String url) {
    assertThat(RepositoryAddress.same(url, CONFIGURED)).isFalse();
  }

  @Test
  void localRepositoriesCompareByPath() {
    assertThat(RepositoryAddress.same("file:///srv/git/desired.git", "/srv/git/desired")).isTrue();
    assertThat(RepositoryAddress.same("file:///srv/git/desired.git/", "file:///srv/git/desired.git")).isTrue();
    assertThat(RepositoryAddress.same("/srv/git/desired", "/srv/git/other")).isFalse();
  }

  @Test
  void hostAndPathAreWhatIsLeft() {
    assertThat(RepositoryAddress.of("ssh://git@gitlab.example.com:2222/uc/Desired.git/"))
        .isEqualTo(new RepositoryAddress("gitlab.example.com", "uc/desired"));
  }
}
