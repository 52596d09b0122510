package io.eventgateway.standalone;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made in the
 * test, written as a PKCS12 key store (certificate and key, for a server) and a PKCS12
 * trust store (the certificate alone, for its clients).
 *
 * @param keyStore the key store file
 * @param trustStore the trust store file
 * @param password the password of both stores
 */
record TestCertificates(Path keyStore, Path trustStore, String password) {

	/**
	 * Generates a certificate valid for a day and writes both stores under {@code dir}.
	 */
	static TestCertificates generate(Path dir, String name) throws IOException, GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(256);
		KeyPair pair = generator.generateKeyPair();
		X509Certificate certificate = selfSigned(pair, name);
		String password = "store-" + Long.toHexString(System.nanoTime());
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry(name, pair.getPrivate(), password.toCharArray(), new Certificate[] { certificate });
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry(name, certificate);
		TestCertificates stores = new TestCertificates(dir.resolve(name + "-keystore.p12"),
				dir.resolve(name + "-truststore.p12"), password);
		write(keys, stores.keyStore(), password);
		write(trust, stores.trustStore(), password);
		return stores;
	}

	private static X509Certificate selfSigned(KeyPair pair, String name) throws GeneralSecurityException, IOException {
		X500Name subject = new X500Name("CN=" + name);
		Instant now = Instant.now();
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
				Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
						new GeneralName(GeneralName.dNSName, "localhost") }));
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
		}
		catch (OperatorCreationException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

	private static void write(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, password.toCharArray());
		}
	}

}
