using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using Modular.Host;
using Modular.Testing;
using OpenTelemetry.Trace;

namespace Modular.EndToEndTests;

/// <summary>Every module in one process, over one database: the default deployment.</summary>
public sealed class InProcessShop : ITracedShop
{
    private readonly ExportedActivities _exported = new();
    private ModularTestHost _host = null!;

    public HttpClient Client => _host.Client;

    public IReadOnlyList<RecordedSpan> Spans => _exported.Snapshot().Select(a => new RecordedSpan(
        a.TraceId.ToHexString(), a.SpanId.ToHexString(), a.ParentSpanId == default ? null : a.ParentSpanId.ToHexString(),
        a.DisplayName, a.Source.Name, a.TagObjects.ToDictionary(t => t.Key, t => Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? ""))).ToList();

    public async Task InitializeAsync() =>
        _host = await ModularTestHost.StartAsync(await PostgresServer.CreateDatabaseAsync("e2e_inprocess"), ModuleCatalog.All,
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_exported)));

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    /// <summary>The exporter adds while the test reads.</summary>
    private sealed class ExportedActivities : Collection<Activity>
    {
        public List<Activity> Snapshot()
        {
            lock (Items)
            {
                return Items.ToList();
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
