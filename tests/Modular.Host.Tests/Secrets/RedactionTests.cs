using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Logging;
using Modular.Testing;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace Modular.Host.Tests.Secrets;

/// <summary>Secrets never reach a log line or the <c>describe</c> command's output. See docs/adr/0022.</summary>
public sealed partial class RedactionTests
{
    [Theory]
    [InlineData("Host=db;Username=modular;Password=hunter2;Pooling=true", "Host=db;Username=modular;Password=***;Pooling=true")]
    [InlineData("Server=db; PWD = 'hun;ter2'; Database=x", "Server=db; PWD = ***; Database=x")]
    [InlineData("amqp://modular:hunter2@rabbitmq:5672/vhost", "amqp://modular:***@rabbitmq:5672/vhost")]
    [InlineData("Authorization: Basic bW9kdWxhcjpodW50ZXIy", "Authorization: ***")]
    [InlineData("""{"Authorization":"Bearer abc.def.ghi","Accept":"*/*"}""", """{"Authorization":"***","Accept":"*/*"}""")]
    [InlineData("sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl to the API", "sent Bearer *** to the API")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl", "token ***")]
    [InlineData("""{"user":"a","password":"hun\"ter2"}""", """{"user":"a","password":"***"}""")]
    [InlineData("Host=db;Port=5432;Database=modular", "Host=db;Port=5432;Database=modular")]
    [InlineData("https://example.org/path?x=1", "https://example.org/path?x=1")]
    public void Secrets_in_text_are_masked_and_the_rest_is_kept(string text, string expected) =>
        Assert.Equal(expected, Redaction.Redact(text));

    [Fact]
    public async Task Every_property_of_a_log_event_is_masked_before_any_sink_sees_it()
    {
        var logs = new CapturedLogs();
        await using var host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("redaction"), ModuleCatalog.All,
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" },
            services => services.AddSingleton<ILogEventSink>(logs));
        var logger = host.Services.GetRequiredService<ILogger<RedactionTests>>();

        logger.LogInformation("Connecting with {ConnectionString}, headers {@Headers}, key {ApiKey}, client {@Client}",
            "Host=db;Username=modular;Password=hunter2", new Dictionary<string, string> { ["Authorization"] = "Bearer abc.def.ghi" },
            "k-123456", new { Name = "shop", ClientSecret = "s3cr3t", Endpoint = "amqp://modular:hunter2@rabbitmq" });

        var logged = Assert.Single(logs.Events, e => e.MessageTemplate.Text.StartsWith("Connecting with", StringComparison.Ordinal));
        var rendered = logged.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + string.Join(",", logged.Properties.Select(p => p.Value.ToString()));
        Assert.DoesNotContain("hunter2", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def.ghi", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("k-123456", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", rendered, StringComparison.Ordinal);
        Assert.Contains("Host=db;Username=modular;Password=***", rendered, StringComparison.Ordinal);
        Assert.Contains("shop", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_text_that_quotes_a_connection_string_is_masked_in_the_written_line()
    {
        var formatter = new RedactingFormatter(new MessageTemplateTextFormatter("{Message:lj}{NewLine}{Exception}"));
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error,
            new InvalidOperationException("Could not open Host=db;Password=hunter2 with Authorization: Bearer abc.def"),
            new MessageTemplateParser().Parse("Start-up failed"), []);
        using var line = new StringWriter();

        formatter.Format(logEvent, line);

        Assert.DoesNotContain("hunter2", line.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abc.def", line.ToString(), StringComparison.Ordinal);
        // An unquoted password runs to the next semicolon: a space may be part of it, so the rest of the line is masked too.
        Assert.Contains("Could not open Host=db;Password=***", line.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_text_that_quotes_a_connection_string_is_masked_before_the_OTLP_sink_sees_it()
    {
        var exported = new CapturedLogs();
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error,
            new InvalidOperationException("Could not open Host=db;Password=hunter2"), new MessageTemplateParser().Parse("Start-up failed"), []);

        new RedactingSink(exported).Emit(logEvent);

        var exception = Assert.Single(exported.Events).Exception!;
        Assert.DoesNotContain("hunter2", exception.Message + exception, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: Could not open Host=db;Password=***", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_describe_command_prints_the_configuration_with_passwords_and_tokens_masked()
    {
        var (exitCode, output) = await HostProcess.RunCommandAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Modular"] = await PostgresServer.CreateDatabaseAsync("describe") + ";Password=Hunter2Database",
            ["ConnectionStrings__RabbitMq"] = "amqp://modular:Hunter2Broker@127.0.0.1:5672",
            ["PAYMENTS_API_TOKEN"] = "Hunter2Token",
            ["Modular__Modules__0"] = "Catalog",
        }, "describe");

        Assert.True(exitCode == 0, output);
        Assert.Contains("IConfiguration Preview", output, StringComparison.Ordinal);
        Assert.Contains("PAYMENTS_API_TOKEN", output, StringComparison.Ordinal);
        // The console wraps long lines inside the tree: the secrets are looked for in the text without its layout.
        var text = Layout().Replace(output, string.Empty);
        Assert.Contains("Password=***", text, StringComparison.Ordinal);
        Assert.Contains("amqp://modular:***@127.0.0.1:5672", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2", text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[\s│├└─]")]
    private static partial Regex Layout();
}
