namespace Modular.Host.Tests.Telemetry;

/// <summary>
/// Tests that read the metrics a host exports run alone, after the others. The framework's meters (ASP.NET Core hosting,
/// Kestrel, HttpClient) are created per host, and OpenTelemetry ends the metric stream of every same-named meter in the
/// process when one of them is disposed (open-telemetry/opentelemetry-dotnet#6412): another test's host stopping would
/// silence them here. One host per process, as deployed, never meets this. See docs/adr/0025.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportedMetrics
{
    public const string Name = "Exported metrics";
}
