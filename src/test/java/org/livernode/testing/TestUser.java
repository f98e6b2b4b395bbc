package org.livernode.testing;

import io.quarkus.runtime.StartupEvent;
import io.restassured.RestAssured;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The tests' one well-known user: {@code admin} with every role, its password set by the test profile
 * ({@code %test.livernode.security.admin-password} in application.properties) and by {@link PackagedNode}.
 * Every {@code @QuarkusTest} application starts this bean, which makes RestAssured send the user preemptively by
 * default; a test of refusals sends none ({@code given().auth().none()}) or a weaker user. Plain HTTP clients of the
 * tests add {@link #AUTHORIZATION}.
 */
@ApplicationScoped
public class TestUser {
    public static final String NAME = "admin";
    public static final String PASSWORD = "test-admin-password-0";
    /** The value of an Authorization header for this user. */
    public static final String AUTHORIZATION = basic(NAME, PASSWORD);

    void sendByDefault(@Observes StartupEvent event) {
        RestAssured.authentication = RestAssured.preemptive().basic(NAME, PASSWORD);
    }

    public static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
