using System.Xml;
using Hotline.Runtime;
using Hotline.Runtime.Alarms;
using Hotline.Runtime.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Api;

public sealed record ClockBody(DateTimeOffset? Now);

public sealed record AdvanceBody(string? By);

public sealed record ClockView(DateTimeOffset Now, int AlarmsDelivered);

/// <summary>
/// Development only (the local host maps these in the Development environment and nowhere else): a clock that
/// can be set and advanced, so every deadline can be reached end to end, and the local SMS outbox.
/// </summary>
public static class DevEndpoints
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/api/dev").WithTags("development");
        dev.MapGet("/clock", (AdjustableClock clock) => Results.Ok(new ClockView(clock.GetUtcNow(), 0)));
        dev.MapPut("/clock", MatterEndpoints.Handler(SetClock)).Accepts<ClockBody>("application/json").Produces<ClockView>().ProducesValidationProblem();
        dev.MapPost("/clock/advance", MatterEndpoints.Handler(Advance)).Accepts<AdvanceBody>("application/json").Produces<ClockView>().ProducesValidationProblem();
        dev.MapGet("/sms", async (HttpContext http, SmsOutbox outbox) =>
            Results.Ok(await outbox.ListAsync(http.Request.Query["matterId"].ToString() is { Length: > 0 } id ? id : null, http.RequestAborted).ConfigureAwait(false)))
            .WithName("devSms").Produces<IReadOnlyList<OutboxMessage>>();
        return app;
    }

    private static async Task<IResult> SetClock(HttpContext http)
    {
        var (body, problem) = await JsonBody.ReadAsync<ClockBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (body!.Now is not { } now) return Problems.Invalid("now", "Required: an ISO 8601 instant with an offset.");
        var clock = http.RequestServices.GetRequiredService<AdjustableClock>();
        if (now < clock.GetUtcNow()) return Problems.Invalid("now", "The clock only moves forward: deadlines already passed cannot be undone.");
        clock.Set(now);
        return Results.Ok(new ClockView(clock.GetUtcNow(), await DeliverDueAsync(http).ConfigureAwait(false)));
    }

    private static async Task<IResult> Advance(HttpContext http)
    {
        var (body, problem) = await JsonBody.ReadAsync<AdvanceBody>(http.Request).ConfigureAwait(false);
        if (problem is not null) return problem;
        TimeSpan by;
        try
        {
            by = XmlConvert.ToTimeSpan(body!.By ?? throw new FormatException());
        }
        catch (FormatException)
        {
            return Problems.Invalid("by", "Required: an ISO 8601 duration such as PT2H or P1DT30M.");
        }
        if (by < TimeSpan.Zero) return Problems.Invalid("by", "The clock only moves forward.");
        var clock = http.RequestServices.GetRequiredService<AdjustableClock>();
        clock.Advance(by);
        return Results.Ok(new ClockView(clock.GetUtcNow(), await DeliverDueAsync(http).ConfigureAwait(false)));
    }

    /// <summary>
    /// Fires the alarms that fell due in the skipped time, and waits for their effects, before answering. The background
    /// pump may claim some of them first: the answer still waits until each is delivered (see <see cref="AlarmPump.SettleAsync"/>),
    /// so a list read next shows their outcome.
    /// </summary>
    private static async Task<int> DeliverDueAsync(HttpContext http)
    {
        var delivered = await http.RequestServices.GetRequiredService<AlarmPump>().SettleAsync(TimeSpan.FromSeconds(30), http.RequestAborted).ConfigureAwait(false);
        await http.RequestServices.GetRequiredService<EffectBacklog>().WhenIdleAsync(TimeSpan.FromSeconds(30), http.RequestAborted).ConfigureAwait(false);
        return delivered;
    }
}
