package io.chatrelay.client.system;

import java.util.ArrayDeque;
import java.util.Deque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Reads a recorded server-to-client HTTP/2 byte stream frame by frame and decodes every
 * header block with one HPACK decoder, as the client would; reports the first block that
 * does not decode, with the frames before it.
 */
final class Http2Replay {

	private Http2Replay() {
	}

	static String firstBadHeaderBlock(byte[] wire) {
		DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1L << 20);
		Deque<String> recent = new ArrayDeque<>();
		int offset = 0;
		int frames = 0;
		ByteBuf block = null;
		int blockStream = 0;
		while (offset + 9 <= wire.length) {
			int length = ((wire[offset] & 0xff) << 16) | ((wire[offset + 1] & 0xff) << 8) | (wire[offset + 2] & 0xff);
			int type = wire[offset + 3] & 0xff;
			int flags = wire[offset + 4] & 0xff;
			int stream = ((wire[offset + 5] & 0x7f) << 24) | ((wire[offset + 6] & 0xff) << 16)
					| ((wire[offset + 7] & 0xff) << 8) | (wire[offset + 8] & 0xff);
			if (offset + 9 + length > wire.length) {
				break;
			}
			String summary = "#" + frames + " @" + offset + " type=" + type + " flags=0x" + Integer.toHexString(flags)
					+ " stream=" + stream + " len=" + length;
			recent.addLast(summary);
			if (recent.size() > 12) {
				recent.removeFirst();
			}
			int payload = offset + 9;
			int payloadLength = length;
			if (type == 1) {
				if ((flags & 0x8) != 0) {
					int pad = wire[payload] & 0xff;
					payload++;
					payloadLength -= 1 + pad;
				}
				if ((flags & 0x20) != 0) {
					payload += 5;
					payloadLength -= 5;
				}
				block = Unpooled.buffer();
				blockStream = stream;
				block.writeBytes(wire, payload, payloadLength);
			}
			else if (type == 9) {
				if (block == null || stream != blockStream) {
					return "CONTINUATION without HEADERS: " + summary + "\n" + String.join("\n", recent);
				}
				block.writeBytes(wire, payload, payloadLength);
			}
			else if (block != null) {
				return "frame inside a header block: " + summary + "\n" + String.join("\n", recent);
			}
			if ((type == 1 || type == 9) && (flags & 0x4) != 0) {
				String hex = ByteBufUtil.hexDump(block);
				try {
					Http2Headers headers = decoder.decodeHeaders(stream, block);
					if (frames < 3) {
						recent.addLast("  headers " + headers);
					}
				}
				catch (Http2Exception ex) {
					return "bad header block: " + ex.getMessage() + " in " + summary + "\nblock " + hex + "\n"
							+ String.join("\n", recent);
				}
				finally {
					block.release();
					block = null;
				}
			}
			offset += 9 + length;
			frames++;
		}
		return null;
	}

}
