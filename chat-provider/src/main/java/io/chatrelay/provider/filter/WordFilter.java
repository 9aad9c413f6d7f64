package io.chatrelay.provider.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import io.chatrelay.api.ChatErrorCode;
import io.chatrelay.api.ChatException;
import io.chatrelay.api.ChatMessage;
import io.chatrelay.api.ChatRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensitive-word filter in force on this provider: the word lists (local, or the
 * config-center document once published, swapped atomically) and the three places text is
 * screened: the user's input before any vendor sees it, a whole answer, and a streamed
 * answer delta by delta.
 *
 * <p>
 * Every hit counts in {@value #HITS} (tags {@code tenant}, {@code list},
 * {@code direction}, {@code action}) and is logged once per list and text at INFO, with
 * the tenant, the list and the direction, never the text.
 */
public class WordFilter {

	/** The hit counter's name. */
	public static final String HITS = "chatrelay.filter.hits";

	private static final Logger log = LoggerFactory.getLogger(WordFilter.class);

	private static final String INPUT = "input";

	private static final String OUTPUT = "output";

	private final WordLists defaults;

	private final AtomicReference<WordLists> current;

	private final MeterRegistry meters;

	/**
	 * Create a filter that starts with the local lists.
	 * @param enabled the local on/off switch
	 * @param lists the local lists
	 * @param meters where hits are counted
	 * @throws InvalidWordListException if the local lists are not valid
	 */
	public WordFilter(boolean enabled, List<WordList> lists, MeterRegistry meters) {
		this.defaults = WordLists.compile(enabled, lists);
		this.current = new AtomicReference<>(this.defaults);
		this.meters = meters;
	}

	/**
	 * Apply a published document; an invalid one is logged and ignored.
	 * @param yaml the document
	 * @return whether it was applied
	 */
	public boolean publish(String yaml) {
		WordLists next;
		try {
			next = WordListDocument.parse(yaml);
		}
		catch (InvalidWordListException ex) {
			log.warn("Rejected word-list document: {}; keeping {}", ex.getMessage(), this.current.get());
			return false;
		}
		swap(next, "published document");
		return true;
	}

	/**
	 * The document was removed: go back to the local lists.
	 */
	public void reset() {
		swap(this.defaults, "document removed, local lists");
	}

	/**
	 * Screen a request's messages before any vendor sees them. User and system messages
	 * are screened, each on its own; assistant turns are earlier answers, screened when
	 * they were given.
	 * @param tenant the tenant id
	 * @param messages the messages
	 * @return the messages, masked where a mask list hit
	 * @throws ChatException {@code CONTENT_FILTERED} with the list's message when a block
	 * list hit
	 */
	public List<ChatMessage> screenInput(String tenant, List<ChatMessage> messages) {
		WordLists lists = this.current.get();
		WordAutomaton automaton = lists.forTenant(tenant);
		if (automaton == null) {
			return messages;
		}
		List<ChatMessage> screened = new ArrayList<>(messages.size());
		for (ChatMessage message : messages) {
			if (ChatRole.ASSISTANT.wireName().equals(message.role())) {
				screened.add(message);
				continue;
			}
			String text = screen(lists, automaton, tenant, INPUT, message.content());
			screened.add(text.equals(message.content()) ? message : new ChatMessage(message.role(), text));
		}
		return screened;
	}

	/**
	 * Screen a whole answer.
	 * @param tenant the tenant id
	 * @param text the answer
	 * @return the answer, masked where a mask list hit
	 * @throws ChatException {@code CONTENT_FILTERED} with the list's message when a block
	 * list hit
	 */
	public String screenReply(String tenant, String text) {
		WordLists lists = this.current.get();
		WordAutomaton automaton = lists.forTenant(tenant);
		return (automaton != null) ? screen(lists, automaton, tenant, OUTPUT, text) : text;
	}

	/**
	 * Start screening a streamed answer, with the lists in force now (a change while it
	 * streams applies to the next answer).
	 * @param tenant the tenant id
	 * @return the screen for this stream
	 */
	public StreamScreen openStream(String tenant) {
		WordLists lists = this.current.get();
		WordAutomaton automaton = lists.forTenant(tenant);
		if (automaton == null) {
			return StreamScreen.passThrough();
		}
		return StreamScreen.of(new WordScan(automaton, hits(lists, tenant, OUTPUT)), lists);
	}

	private String screen(WordLists lists, WordAutomaton automaton, String tenant, String direction, String text) {
		WordScan scan = new WordScan(automaton, hits(lists, tenant, direction));
		String screened = scan.feed(text) + scan.finish();
		if (scan.blocked()) {
			throw new ChatException(ChatErrorCode.CONTENT_FILTERED, lists.lists().get(scan.blockedBy()).message());
		}
		return screened;
	}

	/**
	 * Counts every hit and logs the first hit of each list in one text.
	 */
	private IntConsumer hits(WordLists lists, String tenant, String direction) {
		boolean[] logged = new boolean[lists.lists().size()];
		return (index) -> {
			WordList list = lists.lists().get(index);
			Counter.builder(HITS)
				.description("Sensitive-word hits")
				.tag("tenant", tenant)
				.tag("list", list.name())
				.tag("direction", direction)
				.tag("action", list.action().tag())
				.register(this.meters)
				.increment();
			if (!logged[index]) {
				logged[index] = true;
				log.info("Word list {} hit in the {} of tenant {}: {}", list.name(), direction, tenant,
						(list.action() == FilterAction.BLOCK) ? "blocked" : "masked");
			}
		};
	}

	private void swap(WordLists next, String reason) {
		WordLists previous = this.current.getAndSet(next);
		log.info("Word lists changed ({}): {} -> {}", reason, previous, next);
	}

}
