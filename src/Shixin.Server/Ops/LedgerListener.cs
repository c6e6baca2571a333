using System.Globalization;
using Npgsql;
using Shixin.Data;

namespace Shixin.Server.Ops;

/// <summary>
/// On PostgreSQL, listens for commits made through any node (LISTEN/NOTIFY) and wakes this node's
/// followers at once; polling remains the fallback if a notification is missed.
/// </summary>
public sealed class LedgerListener(ShixinDatabase database, LedgerSignal signal, ILogger<LedgerListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cs = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString;
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(stoppingToken);
                conn.Notification += (_, e) =>
                {
                    if (long.TryParse(e.Payload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var head))
                    {
                        signal.Notify(head);
                    }
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + LedgerSession.LedgerChannel, conn))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await conn.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Ledger listener lost its connection; reconnecting");
                await Task.Delay(1000, stoppingToken);
            }
        }
    }
}
