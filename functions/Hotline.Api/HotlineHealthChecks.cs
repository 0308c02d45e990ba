using Azure.Data.Tables;
using Hotline.Runtime.Calendars;
using Hotline.Runtime.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hotline.Api;

/// <summary>
/// The hotline's health as ASP.NET Core health checks, so any host or probe can run them; GET /api/health answers
/// their outcome in its own shape (<see cref="HealthEndpoints"/>).
/// </summary>
public static class HotlineHealthChecks
{
    public const string Storage = "storage";
    public const string Calendar = "calendar";

    public static IServiceCollection AddHotlineHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>(Storage, HealthStatus.Unhealthy, timeout: TimeSpan.FromSeconds(5))
            .AddCheck<CalendarHealthCheck>(Calendar, HealthStatus.Degraded);
        return services;
    }
}

/// <summary>Storage answers a query (one page of the matters table, of a partition no matter uses).</summary>
internal sealed class StorageHealthCheck(HotlineTables tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.Matters.QueryPageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {"health"}"), top: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Storage did not answer.", ex);
        }
    }
}

/// <summary>
/// The holiday calendar in force on this host covers this year, and next year once its deadlines come within reach
/// (December); a missing year is degraded, not unhealthy: deadlines there are computed as ordinary weeks.
/// </summary>
internal sealed class CalendarHealthCheck(CalendarStore calendars, TimeProvider clock) : IHealthCheck
{
    public const string Covered = "coveredYears";
    public const string Missing = "missingYears";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var holidays = calendars.Current.Holidays;
        var missing = HealthEndpoints.MissingYears(holidays, clock.GetUtcNow());
        var data = new Dictionary<string, object> { [Covered] = holidays.CoveredYears.Order().ToArray(), [Missing] = missing.ToArray() };
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : new HealthCheckResult(context.Registration.FailureStatus, HealthEndpoints.MissingWarning(missing), data: data));
    }
}
