using Wolverine;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>The <c>Modular</c> configuration section.</summary>
public sealed class ModularOptions
{
    public const string SectionName = "Modular";

    /// <summary>Names of the modules this process hosts; empty means every module in the catalog.</summary>
    public string[] Modules { get; set; } = [];

    /// <summary>
    /// Solo recovers a crashed process's messages within seconds but assumes one process per envelope schema;
    /// Balanced lets several replicas share it at the price of a slower takeover. See docs/adr/0003.
    /// </summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Solo;

    /// <summary><c>text</c> for people, <c>json</c> (compact CLEF) for log pipelines.</summary>
    public string LogFormat { get; set; } = "text";
}
