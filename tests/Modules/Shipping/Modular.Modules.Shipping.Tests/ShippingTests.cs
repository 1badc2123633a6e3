using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Modular.BuildingBlocks.Security;
using Modular.Modules.Ordering.Contracts;
using Modular.Modules.Shipping.Contracts;
using Modular.Testing;
using Wolverine.Tracking;

namespace Modular.Modules.Shipping.Tests;

/// <summary>Shipping alone, driven by the events Ordering publishes and by staff through its API.</summary>
public sealed class ShippingTests(ShippingHost shipping) : IClassFixture<ShippingHost>
{
    private async Task<Guid> ConfirmedOrderAsync(string customer = "alice")
    {
        var orderId = Guid.NewGuid();
        await shipping.PublishAsync(new OrderConfirmed(orderId, customer, 20m, "EUR", DateTimeOffset.UtcNow));
        return orderId;
    }

    private Task<HttpResponseMessage> DispatchAsync(Guid orderId, string trackingReference) =>
        shipping.Client.PostAsJsonAsync($"/api/shipments/{orderId}/dispatch", new { trackingReference });

    [Fact]
    public async Task A_confirmed_order_gets_one_pending_shipment_even_when_the_confirmation_arrives_twice()
    {
        var orderId = Guid.NewGuid();
        var confirmed = new OrderConfirmed(orderId, "alice", 20m, "EUR", DateTimeOffset.UtcNow);

        await shipping.PublishAsync(confirmed);
        await shipping.PublishAsync(confirmed);

        var shipment = await shipping.Client.GetFromJsonAsync<JsonElement>($"/api/shipments/{orderId}");
        Assert.Equal(("Pending", "alice"), (shipment.GetProperty("status").GetString(), shipment.GetProperty("customerId").GetString()));
    }

    [Fact]
    public async Task Staff_dispatch_then_deliver_a_shipment_and_each_step_is_published_once()
    {
        var orderId = await ConfirmedOrderAsync();

        var (dispatch, dispatchTracked) = await shipping.TrackAsync(_ => DispatchAsync(orderId, " 1Z-999 "));
        var (again, againTracked) = await shipping.TrackAsync(_ => DispatchAsync(orderId, "1Z-999"));
        var (deliver, deliverTracked) = await shipping.TrackAsync(client => client.PostAsync($"/api/shipments/{orderId}/deliver", null));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (dispatch.StatusCode, again.StatusCode, deliver.StatusCode));
        Assert.Equal("1Z-999", dispatchTracked.FindSingleTrackedMessageOfType<ShipmentDispatched>().TrackingReference);
        Assert.Empty(againTracked.AllRecordsInOrder().Select(r => r.Message).OfType<ShipmentDispatched>());
        Assert.Equal(orderId, deliverTracked.FindSingleTrackedMessageOfType<ShipmentDelivered>().OrderId);
        var shipment = await shipping.Client.GetFromJsonAsync<JsonElement>($"/api/shipments/{orderId}");
        Assert.Equal(("Delivered", "1Z-999"), (shipment.GetProperty("status").GetString(), shipment.GetProperty("trackingReference").GetString()));
    }

    [Fact]
    public async Task Dispatching_with_another_reference_or_delivering_before_dispatch_answers_409_naming_why()
    {
        var orderId = await ConfirmedOrderAsync();

        var early = await shipping.Client.PostAsync($"/api/shipments/{orderId}/deliver", null);
        await DispatchAsync(orderId, "FIRST-1");
        var other = await DispatchAsync(orderId, "SECOND-2");

        Assert.Contains("Pending", (await Problems.AssertAsync(early, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("FIRST-1", (await Problems.AssertAsync(other, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_order_s_shipment_cannot_be_dispatched()
    {
        var orderId = await ConfirmedOrderAsync();

        await shipping.PublishAsync(new OrderCancelled(orderId, "alice", DateTimeOffset.UtcNow));
        var (dispatch, tracked) = await shipping.TrackAsync(_ => DispatchAsync(orderId, "LATE-1"));

        Assert.Contains("Cancelled", (await Problems.AssertAsync(dispatch, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(tracked.AllRecordsInOrder().Select(r => r.Message).OfType<ShipmentDispatched>());
    }

    [Fact]
    public async Task An_unknown_shipment_answers_404_and_a_bad_tracking_reference_400()
    {
        var orderId = await ConfirmedOrderAsync();

        await Problems.AssertAsync(await DispatchAsync(Guid.NewGuid(), "TRACK-1"), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await shipping.Client.GetAsync($"/api/shipments/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        var bad = await Problems.AssertAsync(await DispatchAsync(orderId, "<script>"), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("TrackingReference", out _));
    }

    [Fact]
    public async Task Only_staff_dispatch_deliver_and_read_shipments()
    {
        var orderId = await ConfirmedOrderAsync("mallory");
        using var customer = shipping.Host.ClientAs("mallory", Roles.Customer);

        await Problems.AssertAsync(await customer.PostAsJsonAsync($"/api/shipments/{orderId}/dispatch", new { trackingReference = "T-1" }), HttpStatusCode.Forbidden);
        await Problems.AssertAsync(await customer.PostAsync($"/api/shipments/{orderId}/deliver", null), HttpStatusCode.Forbidden);
        await Problems.AssertAsync(await customer.GetAsync($"/api/shipments/{orderId}"), HttpStatusCode.Forbidden);
    }
}
