package dev.hubbletls.agent.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Lets through only what a read-only agent answers: GET and HEAD (405 for anything else),
 * within the request budget (429 beyond it).
 */
final class RequestGate implements Filter {

    private final RequestBudget budget;

    RequestGate(RequestBudget budget) {
        this.budget = budget;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Method method = request.prologue().method();
        if (!method.equals(Method.GET) && !method.equals(Method.HEAD)) {
            response.header(HeaderNames.ALLOW, "GET, HEAD");
            response.status(Status.METHOD_NOT_ALLOWED_405).send("read-only: GET or HEAD\n");
            return;
        }
        if (!budget.tryTake()) {
            response.header(HeaderNames.RETRY_AFTER, "1");
            response.status(Status.TOO_MANY_REQUESTS_429).send("too many requests\n");
            return;
        }
        chain.proceed();
    }
}
