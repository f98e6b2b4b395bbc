package org.livernode.security;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;
import org.livernode.testing.NodeTestResources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;

/**
 * OIDC bearer tokens (quarkus-oidc, service mode) verified with a configured public key, as a site with Keycloak
 * would configure its realm's key: tokens signed by the test key (src/test/resources/oidc, test-only) with the role
 * in {@code groups} get in; a token with the wrong role, an expired one and one signed by another key do not.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.WithPublicKey.class)
@WithTestResource(NodeTestResources.class)
class OidcBearerTest {
    public static class WithPublicKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.public-key", resource("test-signing-key.pub.b64").trim(),
                    "quarkus.oidc.token.issuer", "https://idp.test/realms/hospital");
        }
    }

    @Test
    void aSignedTokenWithTheRoleGetsIn() {
        given().auth().none().header("Authorization", "Bearer " + token(Set.of("viewer"), Instant.now().plusSeconds(300), key()))
                .get("/api/studies").then().statusCode(200);
    }

    @Test
    void aTokenWithoutTheRoleIs403() {
        given().auth().none().header("Authorization", "Bearer " + token(Set.of("uploader"), Instant.now().plusSeconds(300), key()))
                .get("/api/studies").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void expiredOrForeignTokensAre401() throws Exception {
        given().auth().none().header("Authorization", "Bearer " + token(Set.of("viewer"), Instant.now().minusSeconds(600), key()))
                .get("/api/studies").then().statusCode(401);
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, new java.security.SecureRandom(new byte[]{1}));
        given().auth().none().header("Authorization", "Bearer " + token(Set.of("viewer"), Instant.now().plusSeconds(300), g.generateKeyPair().getPrivate()))
                .get("/api/studies").then().statusCode(401);
    }

    private static String token(Set<String> groups, Instant expires, PrivateKey key) {
        return Jwt.issuer("https://idp.test/realms/hospital").upn("dr-test").groups(groups)
                .issuedAt(expires.minusSeconds(900)).expiresAt(expires).sign(key);
    }

    private static PrivateKey key() {
        String pem = resource("test-signing-key.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException("the test signing key cannot be read", e);
        }
    }

    static String resource(String name) {
        try (InputStream in = OidcBearerTest.class.getResourceAsStream("/oidc/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
