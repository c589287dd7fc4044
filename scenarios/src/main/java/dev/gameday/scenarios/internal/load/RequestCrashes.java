package dev.gameday.scenarios.internal.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The exceptions that ended Gatling's requests without a response, by virtual user, so that the timeline can say
 * whether a request timed out, was refused or reset instead of only "no response".
 *
 * <p>Gatling keeps the exception from everything but its own stats writers, which Gameday switches off. The one place
 * it hands it out is a debug log line ({@code GatlingHttpListener.logRequestCrash}: "Request 'x' failed for user 42",
 * with the exception), written only when that logger is enabled for debug. This logback turbo filter enables exactly
 * that logger, takes the exception and the user from the call, and drops the line before logback builds an event: no
 * log output, no stack-trace formatting, one map entry per failed request until the simulation takes it. Every user of
 * Gameday's open model sends one request, so the user identifies the request.
 *
 * <p>If Gatling ever changes that line, nothing is captured and requests without a response are classified by
 * duration alone (see {@link GamedaySimulation}).
 */
final class RequestCrashes extends TurboFilter {

    /** Gatling's object {@code GatlingHttpListener$} logs through a logger of its class name. */
    static final String LOGGER = "io.gatling.http.engine.GatlingHttpListener";
    private static final String USER = " failed for user ";

    private final ConcurrentHashMap<Long, Throwable> byUser = new ConcurrentHashMap<>();

    /** Starts capturing, if logback is the logging backend; returns the filter to {@link #uninstall} later. */
    static RequestCrashes install() {
        RequestCrashes crashes = new RequestCrashes();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            crashes.setName("gameday-request-crashes");
            crashes.start();
            context.addTurboFilter(crashes);
        }
        return crashes;
    }

    void uninstall() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
        stop();
        byUser.clear();
    }

    /** The exception that ended this user's request, if Gatling reported one; forgets it. */
    Throwable take(long userId) {
        return byUser.isEmpty() ? null : byUser.remove(userId);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.DEBUG || !logger.getName().startsWith(LOGGER)) {
            return FilterReply.NEUTRAL;
        }
        if (format == null) {
            return FilterReply.ACCEPT; // isDebugEnabled(): yes, so that Gatling makes the call
        }
        if (t != null) {
            long user = userId(format);
            if (user >= 0) {
                byUser.put(user, t);
            }
        }
        return FilterReply.DENY;
    }

    /** The user in "Request 'x' failed for user 42", or -1. */
    static long userId(String message) {
        int at = message.lastIndexOf(USER);
        if (at < 0) {
            return -1;
        }
        long user = 0;
        int digits = 0;
        for (int i = at + USER.length(); i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            user = user * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : user;
    }
}
