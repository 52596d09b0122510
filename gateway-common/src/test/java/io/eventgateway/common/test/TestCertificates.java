package io.eventgateway.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made up for one test: it writes its own certificate and the
 * certificates it issues as PEM files, laid out like a cert-manager Secret
 * ({@code tls.crt}, {@code tls.key}, {@code ca.crt}), so that tests configure Spring SSL
 * bundles exactly as the chart does.
 *
 * <p>
 * Every issued certificate names {@code localhost} and {@code 127.0.0.1} and may serve as
 * a server and as a client certificate. Keys are EC P-256, quick to generate.
 */
public final class TestCertificates {

	private static final Duration VALIDITY = Duration.ofDays(1);

	private final Path directory;

	private final KeyPair caKeys;

	private final X509Certificate caCertificate;

	private final AtomicLong serials = new AtomicLong(2);

	private TestCertificates(Path directory, KeyPair caKeys, X509Certificate caCertificate) {
		this.directory = directory;
		this.caKeys = caKeys;
		this.caCertificate = caCertificate;
	}

	/**
	 * A new authority whose files go to a fresh directory under {@code parent}.
	 * @param parent usually a JUnit {@code @TempDir}
	 * @param name the authority's common name, also its directory's name
	 */
	public static TestCertificates authority(Path parent, String name) {
		try {
			Path directory = Files.createDirectories(parent.resolve(name));
			KeyPair keys = newKeys();
			X500Name subject = new X500Name("CN=" + name);
			Instant now = Instant.now();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
					Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
					keys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			X509Certificate certificate = sign(builder, keys);
			write(directory.resolve("ca.crt"), "CERTIFICATE", certificate.getEncoded());
			return new TestCertificates(directory, keys, certificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Issues a certificate for {@code localhost}, {@code 127.0.0.1} and the extra names.
	 * @param name the common name, also the name of the directory of its files
	 * @param extraDnsNames more names the certificate is valid for
	 * @return where its files are
	 */
	public Pem issue(String name, String... extraDnsNames) {
		try {
			Path directory = Files.createDirectories(this.directory.resolve(name));
			KeyPair keys = newKeys();
			Instant now = Instant.now();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(this.caCertificate,
					BigInteger.valueOf(this.serials.getAndIncrement()), Date.from(now.minus(Duration.ofMinutes(5))),
					Date.from(now.plus(VALIDITY)), new X500Name("CN=" + name), keys.getPublic());
			List<GeneralName> names = new ArrayList<>();
			names.add(new GeneralName(GeneralName.dNSName, "localhost"));
			names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
			for (String dnsName : extraDnsNames) {
				names.add(new GeneralName(GeneralName.dNSName, dnsName));
			}
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(names.toArray(GeneralName[]::new)));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
					new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
			X509Certificate certificate = sign(builder, this.caKeys);
			Pem pem = new Pem(directory.resolve("tls.crt"), directory.resolve("tls.key"),
					this.directory.resolve("ca.crt"));
			write(pem.certificate(), "CERTIFICATE", certificate.getEncoded());
			write(pem.privateKey(), "PRIVATE KEY", keys.getPrivate().getEncoded());
			return pem;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair newKeys() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
			throws GeneralSecurityException, OperatorCreationException {
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
	}

	private static void write(Path file, String type, byte[] der) throws IOException {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
	}

	/**
	 * The PEM files of one issued certificate.
	 *
	 * @param certificate its certificate ({@code tls.crt})
	 * @param privateKey its PKCS#8 private key ({@code tls.key})
	 * @param ca the certificate of the authority that issued it ({@code ca.crt})
	 */
	public record Pem(Path certificate, Path privateKey, Path ca) {

		/**
		 * The properties of a Spring PEM SSL bundle holding this certificate and key, and
		 * trusting its authority, as {@code key=value} strings.
		 * @param bundle the bundle's name
		 */
		public List<String> bundleProperties(String bundle) {
			String prefix = "spring.ssl.bundle.pem." + bundle + ".";
			return List.of(prefix + "keystore.certificate=" + this.certificate.toUri(),
					prefix + "keystore.private-key=" + this.privateKey.toUri(),
					prefix + "truststore.certificate=" + this.ca.toUri());
		}

	}

}
