using System.Net.Sockets;
using Npgsql;

namespace Modular.BuildingBlocks.Hosting;

/// <summary>
/// Tells an exception that means "PostgreSQL cannot be reached now" (a refused or broken connection, a server shutting
/// down or starting up) from one that trying again cannot cure. An outage is no fault of the request or message at hand
/// and it ends: requests are answered 503, messages wait for it. See docs/adr/0016.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps (Marten and Wolverine wrap them), says the database cannot be reached.</summary>
    public static bool IsCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection exceptions (class 08), and the server going down or not up yet: admin_shutdown,
                // crash_shutdown, cannot_connect_now. Other server errors are answers, not outages.
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03";
                // Npgsql's own: a connection that could not be opened, broke, or timed out.
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}
