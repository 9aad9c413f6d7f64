package io.chatrelay.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.serialize.ObjectInput;
import org.apache.dubbo.common.serialize.ObjectOutput;
import org.apache.dubbo.common.serialize.Serialization;
import org.apache.dubbo.common.utils.SerializeSecurityManager;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * Writes and reads objects exactly as our Dubbo Triple calls put them on the wire: the
 * {@code hessian2} serialization that both nodes configure explicitly
 * ({@code dubbo.protocol.serialization=hessian2}).
 */
final class HessianWire implements AutoCloseable {

	private final FrameworkModel frameworkModel = new FrameworkModel();

	private final Serialization serialization;

	private final URL url;

	HessianWire() {
		this.serialization = this.frameworkModel.getExtensionLoader(Serialization.class).getExtension("hessian2");
		this.url = URL.valueOf("tri://127.0.0.1:50051/" + ChatService.class.getName())
			.setScopeModel(this.frameworkModel.newApplication());
		// Dubbo allows the types of an exported interface; do the same for the contract.
		this.frameworkModel.getBeanFactory().getBean(SerializeSecurityManager.class).addToAllowed("io.chatrelay.api.");
	}

	byte[] write(Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ObjectOutput output = this.serialization.serialize(this.url, bytes);
		output.writeObject(value);
		output.flushBuffer();
		return bytes.toByteArray();
	}

	<T> T read(byte[] bytes, Class<T> type) throws IOException, ClassNotFoundException {
		ObjectInput input = this.serialization.deserialize(this.url, new ByteArrayInputStream(bytes));
		return input.readObject(type);
	}

	@SuppressWarnings("unchecked")
	<T> T roundTrip(T value) throws IOException, ClassNotFoundException {
		return (T) read(write(value), value.getClass());
	}

	@Override
	public void close() {
		this.frameworkModel.destroy();
	}

}
