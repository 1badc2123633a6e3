using System.Reflection;
using Marten;
using Modular.BuildingBlocks.Modules;
using Modular.Modules.Sample.Contracts;
using Modular.Modules.Sample.Items;

namespace Modular.Modules.Sample;

/// <summary>What the Sample module is for, in one line.</summary>
public sealed class SampleModule : Module<ISampleStore>
{
    public override string Name => "Sample";

    public override Assembly ContractsAssembly => typeof(ItemAdded).Assembly;

    protected override void ConfigureStore(StoreOptions options) =>
        options.Schema.For<Item>().UseOptimisticConcurrency(true);
}
