using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modular.Testing;
using Serilog.Events;

namespace Modular.Host.Tests.Input;

/// <summary>
/// What the platform does with malformed input on every route, whatever the module: a 4xx problem (RFC 9457) that
/// names the cause in the client's terms, a Warning without a stack trace in the log, and no change to any data.
/// </summary>
public sealed partial class InputHardeningTests(KestrelShop shop) : IClassFixture<KestrelShop>
{
    private HttpClient Client => shop.Client;

    [Fact]
    public async Task A_null_body_answers_400_problem_details_on_every_route_that_takes_a_body()
    {
        var routes = await BodyRoutesAsync();
        Assert.NotEmpty(routes);

        foreach (var (method, path) in routes)
        {
            var response = await Client.SendAsync(new HttpRequestMessage(method, path) { Content = Json("null") });

            var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains("$", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{}", "lines")]
    [InlineData("""{"paymentToken":"t"}""", "lines")]
    [InlineData("""{"lines":null,"paymentToken":"t"}""", "lines")]
    [InlineData("""{"lines":[null],"paymentToken":"t"}""", "Lines[0]")]
    public async Task An_order_without_lines_answers_400_naming_them(string body, string named)
    {
        var response = await Client.SendAsync(PlaceOrder(body));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(named, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_empty_order_id_answers_404()
    {
        var response = await Client.PostAsync($"/api/orders/{Guid.Empty}/cancel", null);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_receipt_that_would_take_stock_past_the_maximum_answers_422_naming_it_and_changes_nothing()
    {
        var sku = await shop.StockedProductAsync(onHand: 0);
        HttpResponseMessage response;
        var received = 0;
        do
        {
            response = await Client.ReceiveStockAsync(sku, 1_000_000);
            received += response.IsSuccessStatusCode ? 1_000_000 : 0;
        }
        while (response.IsSuccessStatusCode && received <= 100_000_000);

        var problem = await Problems.AssertAsync(response, (HttpStatusCode)422);
        Assert.Contains("10000000", problem.GetProperty("detail").GetString()!.Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var stock = await Client.GetFromJsonAsync<JsonElement>($"/api/inventory/stock/{sku}");
        Assert.Equal(received, stock.GetProperty("onHand").GetInt32());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task A_body_without_a_Content_Type_answers_415(string method)
    {
        var path = method == "PUT" ? $"/api/catalog/products/{shop.Sku}/price" : $"/api/inventory/stock/{shop.Sku}/receipts";
        var body = method == "PUT" ? """{"price":3,"currency":"EUR"}""" : """{"quantity":1}""";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));

        var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });

        await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_JSON_body_in_another_charset_answers_415()
    {
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("""{"quantity":1}"""));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-16");

        var response = await Client.PostAsync($"/api/inventory/stock/{shop.Sku}/receipts", content);

        await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_number_in_quotes_answers_400_saying_a_number_was_expected_without_NET_type_names()
    {
        var response = await Client.SendAsync(PlaceOrder($$"""{"lines":[{"sku":"{{shop.Sku}}","quantity":"5"}],"paymentToken":"t"}"""));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("$.lines[0].quantity: expected an integer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoTypeNames(problem.GetRawText());
    }

    [Theory]
    [InlineData("Content-Length: 10485760")]
    [InlineData("Transfer-Encoding: chunked")]
    public async Task A_body_over_the_size_limit_answers_413_before_it_is_sent_whole(string framing)
    {
        var start = Encoding.ASCII.GetBytes("{\"quantity\":1,\"padding\":\"" + new string('x', 200 * 1024));
        var body = framing.StartsWith("Transfer", StringComparison.Ordinal)
            ? [.. Encoding.ASCII.GetBytes($"{start.Length:x}\r\n"), .. start, .. "\r\n"u8]
            : start;

        var response = await RawHttp.SendAsync(shop.Host.Address!,
            $"POST /api/inventory/stock/{shop.Sku}/receipts HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}Content-Type: application/json\r\n{framing}\r\n\r\n", body);

        AssertProblem(response, 413);
    }

    [Fact]
    public async Task An_unknown_field_answers_400_naming_it()
    {
        var response = await Client.PostAsync($"/api/inventory/stock/{shop.Sku}/receipts", Json("""{"quantity":1,"quantiy":2}"""));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("$.quantiy: unknown field.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_field_given_twice_answers_400_naming_it()
    {
        var response = await Client.PostAsync($"/api/inventory/stock/{shop.Sku}/receipts", Json("""{"quantity":1,"Quantity":900000}"""));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("$.Quantity: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("1")]
    [InlineData("Placed,Confirmed")]
    [InlineData("Nonsense")]
    public async Task An_undefined_enum_value_in_the_query_answers_400_listing_the_defined_names(string status)
    {
        var response = await Client.GetAsync($"/api/orders?status={Uri.EscapeDataString(status)}");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Placed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoTypeNames(problem.GetRawText());
    }

    [Fact]
    public async Task A_defined_enum_name_in_the_query_is_accepted_in_any_case()
    {
        var response = await Client.GetAsync("/api/orders?status=placed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unparseable_query_number_answers_400_without_NET_type_names()
    {
        var response = await Client.GetAsync("/api/catalog/products?page=abc");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        AssertNoTypeNames(problem.GetRawText());
    }

    [Theory]
    [InlineData("/api/catalog/products?page=2147483647")]
    [InlineData("/api/orders?page=2147483647")]
    [InlineData("/api/orders?page=10001")]
    public async Task A_page_too_deep_to_fetch_answers_400_instead_of_overflowing_the_offset(string path)
    {
        var response = await Client.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Page", out _));
    }

    [Theory]
    [InlineData("/api/catalog/products/%00")]
    [InlineData("/api/catalog/products/a%00b/discontinue")]
    public async Task A_NUL_byte_in_the_path_answers_400_problem_details(string path)
    {
        var response = await RawHttp.SendAsync(shop.Host.Address!, $"GET {path} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n");

        AssertProblem(response, 400);
    }

    [Fact]
    public async Task A_header_block_over_the_server_limit_answers_431_problem_details()
    {
        var response = await RawHttp.SendAsync(shop.Host.Address!,
            $"GET /api/catalog/products HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}X-Huge: {new string('a', 40_000)}\r\n\r\n");

        AssertProblem(response, 431);
    }

    [Fact]
    public async Task More_headers_than_the_server_reads_answers_431_problem_details()
    {
        var headers = string.Concat(Enumerable.Range(0, 80).Select(i => $"X-Extra-{i}: {i}\r\n"));
        var response = await RawHttp.SendAsync(shop.Host.Address!, $"GET /api/catalog/products HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n");

        AssertProblem(response, 431);
    }

    [Fact]
    public async Task A_request_line_longer_than_the_server_reads_answers_414_problem_details()
    {
        var response = await RawHttp.SendAsync(shop.Host.Address!, $"GET /api/catalog/products?q={new string('a', 9_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n");

        AssertProblem(response, 414);
    }

    [Fact]
    public async Task A_malformed_request_after_a_good_one_on_the_same_connection_leaves_the_good_answer_intact()
    {
        var requests = Encoding.ASCII.GetBytes(
            $"GET /api/inventory/stock/{shop.Sku} HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n" +
            $"GET /api/catalog/products/%00 HTTP/1.1\r\nHost: localhost\r\n{RawHttp.Authorization}\r\n");

        var responses = await RawHttp.ExchangeAsync(shop.Host.Address!, requests, expectedResponses: 2);

        Assert.Equal(2, responses.Count);
        Assert.Equal(200, responses[0].Status);
        Assert.Equal(shop.Sku, JsonDocument.Parse(responses[0].Body).RootElement.GetProperty("sku").GetString());
        AssertProblem(responses[1], 400);
    }

    [Fact]
    public async Task A_method_the_route_does_not_take_answers_405_problem_details()
    {
        var response = await Client.DeleteAsync($"/api/catalog/products/{shop.Sku}");

        await Problems.AssertAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_answers_400_instead_of_failing_in_PostgreSQL()
    {
        var body = await Client.SendAsync(PlaceOrder($$"""{"lines":[{"sku":"{{shop.Sku}}","quantity":1}],"paymentToken":"\u0000"}"""));
        var query = await Client.GetAsync("/api/catalog/products?search=a%00b");

        var problem = await Problems.AssertAsync(body, HttpStatusCode.BadRequest);
        Assert.StartsWith("$.paymentToken: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Problems.AssertAsync(query, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task An_error_is_problem_details_whatever_the_Accept_header_asks_for(string accept)
    {
        var unknown = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products/NEVER-HEARD");
        unknown.Headers.Accept.ParseAdd(accept);
        var invalid = new HttpRequestMessage(HttpMethod.Post, $"/api/inventory/stock/{shop.Sku}/receipts") { Content = Json("""{"quantity":"1"}""") };
        invalid.Headers.Accept.ParseAdd(accept);

        await Problems.AssertAsync(await Client.SendAsync(unknown), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await Client.SendAsync(invalid), HttpStatusCode.BadRequest);
    }

    /// <summary>A blank form field: Wolverine's endpoints and the platform's minimal API ones read it alike, as not given.</summary>
    [Theory]
    [InlineData("/api/platform/dead-letters?page=&pageSize=&module=Payments")]
    [InlineData("/api/platform/activity?remotes=")]
    [InlineData("/api/orders?page=&status=")]
    [InlineData("/api/orders/attention?olderThanSeconds=")]
    public async Task A_query_value_given_empty_is_taken_as_not_given_on_every_kind_of_route(string path)
    {
        var mark = DateTimeOffset.UtcNow;

        var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(shop.LoggedSince(mark, LogEventLevel.Error), e => e.Level >= LogEventLevel.Error);
    }

    [Fact]
    public async Task A_malformed_body_is_logged_as_one_Warning_without_a_stack_trace()
    {
        var mark = DateTimeOffset.UtcNow;

        var response = await Client.SendAsync(PlaceOrder("""{"lines":[{"sku":"X","quantity":"5"}],"paymentToken":"t"}"""));
        await Client.PostAsync($"/api/inventory/stock/{shop.Sku}/receipts", Json("{\"quantity\":"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var logged = await Eventually.Get(() => Task.FromResult(shop.LoggedSince(mark, LogEventLevel.Warning)), l => l.Count >= 2, "two warnings");
        Assert.DoesNotContain(logged, e => e.Level >= LogEventLevel.Error);
        Assert.All(logged, e => Assert.Null(e.Exception));
    }

    private async Task<List<(HttpMethod Method, string Path)>> BodyRoutesAsync()
    {
        var paths = (await shop.OpenApiAsync()).GetProperty("paths");
        return paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(operation => operation.Value.TryGetProperty("requestBody", out _))
                .Select(operation => (new HttpMethod(operation.Name.ToUpperInvariant()),
                    path.Name.Replace("{sku}", shop.Sku, StringComparison.Ordinal)
                        .Replace("{orderId}", Guid.NewGuid().ToString(), StringComparison.Ordinal))))
            .ToList();
    }

    private static HttpRequestMessage PlaceOrder(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void AssertProblem(RawResponse response, int status)
    {
        Assert.True(status == response.Status, $"Expected {status}, got {response.Status}: {response.Text}");
        Assert.Equal("application/problem+json", response.ContentType?.Split(';')[0]);
        var problem = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        AssertNoTypeNames(response.Text);
    }

    internal static void AssertNoTypeNames(string text) =>
        Assert.False(DotNetTypeName().IsMatch(text), $"A .NET type name leaked into the response: {text}");

    [GeneratedRegex(@"\b(System|Microsoft|Modular|Wolverine|Marten|JasperFx|Npgsql)\.[A-Z]|\b(Int32|Int64|Decimal|String|Guid|Boolean|Nullable|IReadOnlyList|int|long|bool)\b|`1")]
    private static partial Regex DotNetTypeName();
}
