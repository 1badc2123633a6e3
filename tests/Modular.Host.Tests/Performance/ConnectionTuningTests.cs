using Modular.BuildingBlocks.Persistence;
using Npgsql;

namespace Modular.Host.Tests.Performance;

/// <summary>How every store connects unless the operator says otherwise (docs/adr/0030).</summary>
public sealed class ConnectionTuningTests
{
    [Fact]
    public void Connections_are_not_reset_on_return_to_the_pool_and_statements_are_prepared_from_their_second_use()
    {
        var tuned = new NpgsqlConnectionStringBuilder(ConnectionTuning.Apply("Host=db;Database=shop;Username=app;Password=secret"));

        Assert.Equal((true, ConnectionTuning.MaxAutoPrepare, ConnectionTuning.AutoPrepareMinUsages), (tuned.NoResetOnClose, tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages));
        Assert.Equal(("db", "shop", "app", "secret"), (tuned.Host, tuned.Database, tuned.Username, tuned.Password));
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0", false, 0)]
    [InlineData("Host=db;noresetonclose=false;maxautoprepare=0", false, 0)]
    [InlineData("Host=db;Max Auto Prepare=10;Auto Prepare Min Usages=7", true, 10)]
    public void What_the_connection_string_sets_itself_wins(string connectionString, bool noReset, int maxAutoPrepare)
    {
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        var tuned = new NpgsqlConnectionStringBuilder(ConnectionTuning.Apply(connectionString));

        Assert.Equal((noReset, maxAutoPrepare, given.AutoPrepareMinUsages), (tuned.NoResetOnClose, tuned.MaxAutoPrepare, tuned.AutoPrepareMinUsages));
    }
}
