package io.eventgateway.examples.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.client.Event;
import io.eventgateway.client.GatewayClient;
import io.eventgateway.client.SendResult;

/**
 * A producer built on the gateway client alone: it sends order events of each priority
 * and reports what ingest did with every one of them.
 *
 * <p>
 * Run it as {@code OrderProducer <ingest host:port> <api key> <company> <count>}.
 */
public final class OrderProducer implements AutoCloseable {

	/** Event types the gateway's default rules classify as P30, P20 and P10. */
	private static final List<String> TYPES = List.of("trigger.order-paid", "interactive.order-viewed",
			"order.archived");

	private final GatewayClient client;

	private final String company;

	public OrderProducer(String ingestTarget, String apiKey, String company) {
		this.client = GatewayClient.builder()
			.target(ingestTarget)
			.usePlaintext()
			.apiKey(apiKey)
			.deadline(Duration.ofSeconds(30))
			.build();
		this.company = company;
	}

	public static void main(String[] args) {
		if (args.length != 4) {
			System.err.println("usage: OrderProducer <ingest host:port> <api key> <company> <count>");
			System.exit(2);
		}
		try (OrderProducer producer = new OrderProducer(args[0], args[1], args[2])) {
			List<SendResult> results = producer.sendOrders(Integer.parseInt(args[3]));
			results.forEach((result) -> System.out.println(result.eventId() + " " + result.outcome()
					+ ((result.message() != null) ? ": " + result.message() : "")));
			System.exit(results.stream().allMatch(SendResult::isAccepted) ? 0 : 1);
		}
	}

	/**
	 * Sends {@code count} orders, their types in turn, and waits for every result: each
	 * is accepted, invalid (naming the field) or failed after the client's retries.
	 */
	public List<SendResult> sendOrders(int count) {
		List<Event> orders = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			orders.add(Event.ofJson(TYPES.get(i % TYPES.size()), "shop", "{\"order\":" + i + "}")
				.withCompanyId(this.company));
		}
		return this.client.sendAll(orders).join();
	}

	@Override
	public void close() {
		this.client.close();
	}

}
