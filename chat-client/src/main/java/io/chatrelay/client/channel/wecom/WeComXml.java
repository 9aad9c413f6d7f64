package io.chatrelay.client.channel.wecom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import io.chatrelay.client.channel.wecomcrypto.WeComCrypto;
import io.chatrelay.client.intake.CallbackRejectedException;
import io.chatrelay.client.intake.CallbackRejectedException.Reason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads WeCom's XML: the encrypted envelope of an app callback and the decrypted message.
 * <p>
 * Callback bodies come from the internet before anything is verified, so the parser is
 * locked down: a DOCTYPE is refused outright (which stops XXE and entity-expansion
 * attacks before any entity is declared), external entities, external DTDs and XInclude
 * are off, and secure processing is on. Every failure is a {@link Reason#MALFORMED}
 * rejection whose message never quotes the body.
 */
final class WeComXml {

	private static final String ROOT = "xml";

	/** The JDK parser's element-depth limit (JAXP, {@code jdk.xml.maxElementDepth}). */
	private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

	/**
	 * The deepest nesting accepted: WeCom's envelope is two levels deep, its messages and
	 * events at most four.
	 */
	static final int MAX_DEPTH = 16;

	private WeComXml() {
	}

	/**
	 * The {@code Encrypt} value of a callback envelope
	 * {@code <xml><ToUserName/><Encrypt/><AgentID/></xml>}, which is what the signature
	 * covers.
	 * @param body the raw POST body
	 * @return the Base64 ciphertext
	 * @throws CallbackRejectedException with {@link Reason#MALFORMED} if the body is not
	 * such an envelope
	 */
	public static String encryptField(byte[] body) {
		if (body == null || body.length == 0) {
			throw malformed("WeCom callback body is empty");
		}
		Element root = parse(new InputSource(new ByteArrayInputStream(body)));
		String encrypt = childText(root, "Encrypt");
		if (encrypt == null || encrypt.isBlank()) {
			throw malformed("WeCom callback XML has no Encrypt element");
		}
		// Base64 has no white space; strip what a pretty-printed envelope adds.
		return encrypt.strip();
	}

	/**
	 * Parse a decrypted app callback.
	 * @param decryptedXml the plaintext returned by {@link WeComCrypto#decrypt(String)}
	 * @return the message or event
	 * @throws CallbackRejectedException with {@link Reason#MALFORMED} if the XML is not
	 * well-formed or lacks ToUserName, FromUserName, CreateTime or MsgType
	 */
	public static WeComMessage message(String decryptedXml) {
		if (decryptedXml == null || decryptedXml.isEmpty()) {
			throw malformed("WeCom message is empty");
		}
		Element root = parse(new InputSource(new StringReader(decryptedXml)));
		return new WeComMessage(required(root, "ToUserName"), required(root, "FromUserName"), createTime(root),
				required(root, "MsgType"), childText(root, "Content"), optionalId(root, "MsgId"),
				optionalId(root, "AgentID"), optionalId(root, "Event"), optionalId(root, "ChatId"));
	}

	private static long createTime(Element root) {
		try {
			return Long.parseLong(required(root, "CreateTime"));
		}
		catch (NumberFormatException ex) {
			throw malformed("WeCom message CreateTime is not a number");
		}
	}

	private static String required(Element root, String name) {
		String value = optionalId(root, name);
		if (value == null) {
			throw malformed("WeCom message has no " + name);
		}
		return value;
	}

	private static String optionalId(Element root, String name) {
		String value = childText(root, name);
		if (value == null || value.isBlank()) {
			return null;
		}
		return value.strip();
	}

	/**
	 * The text of the only direct child called {@code name}, or {@code null}.
	 */
	private static String childText(Element root, String name) {
		String text = null;
		for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node.getNodeType() == Node.ELEMENT_NODE && name.equals(node.getNodeName())) {
				if (text != null) {
					throw malformed("WeCom XML repeats " + name);
				}
				text = node.getTextContent();
			}
		}
		return text;
	}

	private static Element parse(InputSource source) {
		Document document;
		try {
			document = newBuilder().parse(source);
		}
		catch (SAXException ex) {
			throw new CallbackRejectedException(Reason.MALFORMED, "WeCom XML is not well-formed or declares a DOCTYPE",
					ex);
		}
		catch (IOException ex) {
			throw new CallbackRejectedException(Reason.MALFORMED, "WeCom XML could not be read", ex);
		}
		Element root = document.getDocumentElement();
		if (!ROOT.equals(root.getNodeName())) {
			throw malformed("WeCom XML root is not <xml>");
		}
		return root;
	}

	/**
	 * A new builder per document: builders are not thread-safe, and the JDK's default
	 * factory is cheap (no service lookup) and supports every feature set here.
	 */
	private static DocumentBuilder newBuilder() {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
			factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
			factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
			// Callbacks are read before they are authenticated: a body nested
			// thousands of levels deep is malformed, not work (it took a
			// StackOverflowError before).
			factory.setAttribute(MAX_ELEMENT_DEPTH, String.valueOf(MAX_DEPTH));
			factory.setXIncludeAware(false);
			factory.setExpandEntityReferences(false);
			factory.setNamespaceAware(false);
			factory.setValidating(false);
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setErrorHandler(SilentErrors.INSTANCE);
			return builder;
		}
		catch (ParserConfigurationException ex) {
			throw new IllegalStateException("The XML parser cannot be locked down", ex);
		}
	}

	private static CallbackRejectedException malformed(String message) {
		return new CallbackRejectedException(Reason.MALFORMED, message);
	}

	/**
	 * Fails on errors instead of printing them to {@code System.err} (the default).
	 */
	private enum SilentErrors implements ErrorHandler {

		INSTANCE;

		@Override
		public void warning(SAXParseException ex) {
		}

		@Override
		public void error(SAXParseException ex) throws SAXException {
			throw ex;
		}

		@Override
		public void fatalError(SAXParseException ex) throws SAXException {
			throw ex;
		}

	}

}
