package io.chatrelay.provider.filter;

import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sensitive-word filter's local settings ({@code chat.provider.filter.*}): the
 * switch, and the lists used until a word-list document is published in the config center
 * and again when it is deleted.
 *
 * @param enabled whether this provider filters at all; {@code false} also leaves the
 * config-center document unread
 * @param lists the local lists
 */
@Validated
@ConfigurationProperties("chat.provider.filter")
public record FilterProperties(@DefaultValue("true") boolean enabled,
		@Valid @NotNull @DefaultValue List<ListProperties> lists) {

	/**
	 * One local list, as in the document.
	 *
	 * @param name the list's name
	 * @param tenants tenant ids, {@code *} for all
	 * @param action {@code block} or {@code mask}
	 * @param message what a blocked user is told (block lists)
	 * @param words the words
	 */
	public record ListProperties(@NotBlank String name, @NotEmpty @DefaultValue("*") Set<String> tenants,
			@NotBlank String action, String message, @NotEmpty List<String> words) {
	}

	/**
	 * The local lists, checked.
	 * @return the lists
	 * @throws InvalidWordListException if one is not valid
	 */
	public List<WordList> toLists() {
		return this.lists.stream()
			.map((list) -> new WordList(list.name(), list.tenants(), FilterAction.of(list.action()), list.message(),
					list.words()))
			.toList();
	}

}
