using System.Globalization;
using System.Text.Json;
using Azure;
using Hotline.Api.Open311;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Runtime;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Hotline.Runtime.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// In Hotline.Api, like the other Map…Api extensions, so hosts map it with the namespace they already import.
namespace Hotline.Api;

/// <summary>
/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2, frozen spec) under <c>/open311/v2/</c>, so that existing civic
/// apps post to the hotline unchanged: discovery, services, services/{code}, POST and GET requests, requests/{id} and
/// tokens/{token}, each as <c>.xml</c> or <c>.json</c>. Errors are the spec's array of {code, description} with 404 for
/// what does not exist, 403 for a missing or wrong api_key and 400 for everything else ("Errors").
/// </summary>
public static partial class Open311Endpoints
{
    public const string Base = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>The spec's default response volume for GET Service Requests: 90 days, at most 1000 requests.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(90);

    public const int MaxRequests = 1000;

    /// <summary>How many matters one listing loads at once.</summary>
    private const int LoadParallelism = 16;

    /// <summary>A form is a few short fields and a description of at most 4,000 characters.</summary>
    private const int MaxFormBytes = 256 * 1024;

    private static readonly FormOptions FormLimits = new()
    {
        BufferBody = false,
        ValueCountLimit = 200,
        KeyLengthLimit = 200,
        ValueLengthLimit = 64 * 1024,
        MultipartBodyLengthLimit = MaxFormBytes,
    };

    private const string IntakePartition = IntakeService.Open311Partition;

    public static RouteGroupBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A broken services.json or Type setting stops the host at start rather than failing clients one by one.
        Open311Catalog.For(app.ServiceProvider);
        var permits = app.ServiceProvider.GetRequiredService<RateLimits>().PerKeyPerMinute; // Hotline:RateLimit:PerMinute, checked
        var v2 = app.MapGroup(Base).WithTags("open311").RequireRateLimiting(new Open311RateLimit(permits));

        Map(v2, HttpMethods.Get, "discovery", GetDiscovery, "open311Discovery", "Service discovery: the endpoint, its formats and how to get a key.");
        Map(v2, HttpMethods.Get, "services", GetServices, "open311Services", "The service list: one service per hotline category, grouped by organizer unit.");
        Map(v2, HttpMethods.Get, "services/{code}", GetServiceDefinition, "open311ServiceDefinition", "The attributes of one service (the matter type).");
        Map(v2, HttpMethods.Post, "requests", PostRequest, "open311PostRequest",
            "Report a matter (form-encoded, api_key = a channel key). The same form again the same day answers 200 with the same request.");
        Map(v2, HttpMethods.Get, "requests", GetRequests, "open311Requests",
            "Requests received in a range of at most 90 days, filtered by service_code and status, paged with page and page_size.");
        Map(v2, HttpMethods.Get, "requests/{id}", GetRequest, "open311Request", "One request.");
        Map(v2, HttpMethods.Get, "tokens/{token}", GetToken, "open311Token", "The service_request_id of a token returned by POST requests.");
        // Anything else under the prefix answers in the spec's error format rather than an empty 404 or 405.
        v2.MapFallback("{**path}", MatterEndpoints.Handler(NotFound)).ExcludeFromDescription();
        return v2;
    }

    private static void Map(RouteGroupBuilder v2, string method, string path, Func<HttpContext, Task<IResult>> handler, string name, string summary)
    {
        v2.MapMethods($"/{path}.{{format}}", [method], MatterEndpoints.Handler(handler)).WithName(name).WithSummary(summary)
            .Produces(StatusCodes.Status200OK, null, "text/xml", "application/json");
        v2.MapMethods($"/{path}", [method], MatterEndpoints.Handler(handler)).ExcludeFromDescription();
    }

    public static Task<IResult> GetDiscovery(HttpContext http) => Run(http, keyRequired: false, call =>
    {
        var options = http.RequestServices.GetRequiredService<RuntimeOptions>();
        var production = http.RequestServices.GetRequiredService<IHostEnvironment>().IsProduction();
        var endpoint = Open311Object.Of(
            ("specification", Open311Value.Of(Specification)),
            ("url", Open311Value.Of(new Uri(options.PublicBaseUri, Base.TrimStart('/')).ToString())),
            ("changeset", Open311Value.Of(call.Catalog.Changeset)),
            ("type", Open311Value.Of(production ? "production" : "test")),
            ("formats", new Open311List("format", [Open311Value.Of("text/xml"), Open311Value.Of("application/json")])));
        return Ok(call, "discovery", Open311Object.Of(
            ("changeset", Open311Value.Of(call.Catalog.Changeset)),
            ("contact", Open311Value.Of(call.Catalog.Contact)),
            ("key_service", Open311Value.Of(call.Catalog.KeyService)),
            ("endpoints", new Open311List("endpoint", [endpoint]))));
    });

    public static Task<IResult> GetServices(HttpContext http) => Run(http, keyRequired: false, call =>
    {
        var services = call.Catalog.Services(Directory(http));
        return Ok(call, "services", new Open311List("service", [.. services.Select(s => Open311Object.Of(
            ("service_code", Open311Value.Of(s.Code)),
            ("service_name", Open311Value.Of(s.Name)),
            ("description", Open311Value.Of(s.Description)),
            // Every service defines the matter-type attribute, so clients are told to fetch the definition.
            ("metadata", Open311Value.Of(true)),
            ("type", Open311Value.Of(call.Catalog.Type == Open311ResponseType.Batch ? "batch" : "realtime")),
            ("keywords", Open311Value.Of(s.Keywords)),
            ("group", Open311Value.Of(s.Group))))]));
    });

    public static Task<IResult> GetServiceDefinition(HttpContext http) => Run(http, keyRequired: false, call =>
    {
        var code = RouteValue(http, "code");
        if (call.Catalog.Find(Directory(http), code) is null) return Fail(call, StatusCodes.Status404NotFound, $"service_code '{code}' was not found.");
        var type = Open311Object.Of(
            ("variable", Open311Value.Of(true)),
            ("code", Open311Value.Of(Open311Catalog.TypeAttribute)),
            ("datatype", Open311Value.Of("singlevaluelist")),
            ("required", Open311Value.Of(false)),
            ("datatype_description", Open311Value.Of("不选即为投诉。Complaint when not given.")),
            ("order", Open311Value.Of(1d)),
            ("description", Open311Value.Of("诉求类型。What kind of request this is.")),
            ("values", new Open311List("value", [.. Open311Catalog.MatterTypes.Select(t => Open311Object.Of(
                ("key", Open311Value.Of(Open311Catalog.Key(t.Type))),
                ("name", Open311Value.Of(t.Name))))])));
        return Ok(call, "service_definition", Open311Object.Of(
            ("service_code", Open311Value.Of(code)),
            ("attributes", new Open311List("attribute", [type]))));
    });

    public static async Task<IResult> PostRequest(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Open311Formats.Resolve(http.Request) is not { } format) return BadFormat(http);
        var request = http.Request;
        if (!request.HasFormContentType)
            return Errors(StatusCodes.Status400BadRequest, format, "Send the fields as application/x-www-form-urlencoded (or multipart/form-data).");
        if (request.ContentLength > MaxFormBytes) return Errors(StatusCodes.Status400BadRequest, format, $"The form is larger than {MaxFormBytes} bytes.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(FormLimits, http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return Errors(StatusCodes.Status400BadRequest, format, $"The form cannot be read: {ex.Message}");
        }
        if (form.Files.Count > 0)
            return Errors(StatusCodes.Status400BadRequest, format, "Files are not accepted here: publish the media and send its address as media_url.");

        var (call, refused) = Begin(http, format, Either(form, request.Query, "jurisdiction_id"), Either(form, request.Query, "api_key"), keyRequired: true);
        if (refused is not null) return refused;
        var code = Either(form, request.Query, "service_code");
        if (string.IsNullOrWhiteSpace(code)) return Fail(call!, StatusCodes.Status400BadRequest, "service_code is required.");
        var directory = Directory(http);
        if (call!.Catalog.Find(directory, code.Trim()) is not { } service) return Fail(call, StatusCodes.Status404NotFound, $"service_code '{code}' was not found.");

        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var (submission, errors) = Open311Intake.Read(form, call.Caller!, service, now);
        if (submission is null) return Errors(StatusCodes.Status400BadRequest, format, [.. errors]);

        IntakeOutcome outcome;
        try
        {
            outcome = await http.RequestServices.GetRequiredService<IntakeService>()
                .SubmitAsync(call.Caller!.Actor, submission.Intake, http.RequestAborted).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            // The spec's "General Service Error (eg CRM is down)" is a 400. Sending the same form again is safe: it is the same token.
            LogStorageFailure(Logger(http), ex.Status, ex.ErrorCode);
            return Errors(StatusCodes.Status400BadRequest, format, "General service error: the hotline could not record the request just now. Send it again later; it will not be recorded twice.");
        }
        if (!outcome.Outcome.Accepted) return Errors(StatusCodes.Status400BadRequest, format, outcome.Outcome.Refusal!.Message);

        var matter = outcome.Outcome.State!;
        var realtime = call.Catalog.Type == Open311ResponseType.Realtime;
        // The spec: service_request_id for realtime services, token for batch ones, never both ("POST Service Request", Response).
        var created = Open311Object.Of(
            realtime ? ("service_request_id", Open311Value.Of(matter.Id)) : ("token", Open311Value.Of(submission.Token)),
            ("service_notice", Open311Value.Of(Open311Requests.Notice(matter, directory))),
            ("account_id", Open311Value.Of(submission.AccountId)));
        var suffix = format == Open311Format.Json ? "json" : "xml";
        var location = realtime ? $"{Base}/requests/{matter.Id}.{suffix}" : $"{Base}/tokens/{submission.Token}.{suffix}";
        // 200 for a new request too, as the official GeoReport v2 swagger documents; Location still tells a new one apart.
        return new Open311Result(StatusCodes.Status200OK,
            new Open311Document("service_requests", new Open311List("request", [created])), format, outcome.Created ? location : null);
    }

    public static Task<IResult> GetRequest(HttpContext http) => Run(http, keyRequired: false, async call =>
    {
        var id = RouteValue(http, "id");
        var stored = MatterEndpoints.ValidId(id)
            ? await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false)
            : null;
        if (stored is null) return Fail(call, StatusCodes.Status404NotFound, $"service_request_id '{id}' was not found.");
        return Requests(http, call, [stored.State]);
    });

    public static Task<IResult> GetToken(HttpContext http) => Run(http, keyRequired: false, async call =>
    {
        var token = RouteValue(http, "token");
        Matter? matter = null;
        if (Open311Intake.IsToken(token))
        {
            // The token is the submission's channel reference: the intake reservation names the matter it became.
            var reservation = await http.RequestServices.GetRequiredService<HotlineTables>().Intake
                .GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(IntakePartition, token, ["MatterId"], http.RequestAborted).ConfigureAwait(false);
            if (reservation.HasValue && reservation.Value!.GetString("MatterId") is { } id)
            {
                // A reservation whose matter a crash never committed is not a request yet.
                matter = (await http.RequestServices.GetRequiredService<MatterService>().LoadAsync(id, http.RequestAborted).ConfigureAwait(false))?.State;
            }
        }
        if (matter is null) return Fail(call, StatusCodes.Status404NotFound, $"token '{token}' was not found.");
        return Ok(call, "service_requests", new Open311List("request", [Open311Object.Of(
            ("service_request_id", Open311Value.Of(matter.Id)),
            ("token", Open311Value.Of(token)))]));
    });

    /// <summary>
    /// GET Service Requests. <c>service_request_id</c> (comma-separated) overrides every other argument; otherwise
    /// start_date/end_date (at most 90 days, the most recent 90 by default), service_code and status (each comma-separated
    /// or repeated) filter, and the pagination extension's <c>page</c> (from 1) and <c>page_size</c> (1 to 1000, default
    /// 1000, the spec's default limit) page (wiki.open311.org/GeoReport_v2/Extensions, "Pagination", Issue #16).
    /// Requests come in the order of their matter numbers, which begin with the CST date of receipt.
    /// </summary>
    public static Task<IResult> GetRequests(HttpContext http) => Run(http, keyRequired: false, async call =>
    {
        var q = http.Request.Query;
        var matters = http.RequestServices.GetRequiredService<MatterService>();
        if (List(q, "service_request_id") is { Count: > 0 } ids)
        {
            if (ids.Count > MaxRequests) return Fail(call, StatusCodes.Status400BadRequest, $"At most {MaxRequests} service_request_id values at once.");
            var found = await LoadAll(matters, [.. ids.Where(MatterEndpoints.ValidId)], http.RequestAborted).ConfigureAwait(false);
            return Requests(http, call, [.. found.OfType<Matter>()]);
        }

        var errors = new List<Open311Error>();
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var start = Date(q, "start_date", errors);
        var end = Date(q, "end_date", errors);
        bool[]? closedWanted = null;
        if (List(q, "status") is { Count: > 0 } statuses)
        {
            if (statuses.FirstOrDefault(s => s is not ("open" or "closed")) is { } bad) errors.Add(Bad($"status '{bad}' is not open or closed."));
            closedWanted = [.. statuses.Select(s => s == "closed").Distinct()];
        }
        var codes = List(q, "service_code") is { Count: > 0 } c ? c.ToHashSet(StringComparer.Ordinal) : null;
        var page = Whole(q, "page", 1, int.MaxValue / MaxRequests, 1, errors);
        var pageSize = Whole(q, "page_size", 1, MaxRequests, MaxRequests, errors);
        if (errors.Count == 0)
        {
            (start, end) = (start, end) switch
            {
                (null, null) => (now - MaxSpan, now),
                (null, { } e) => (e - MaxSpan, e),
                ({ } s, null) => (s, s + MaxSpan),
                _ => (start, end),
            };
            if (end < start) errors.Add(Bad("end_date is before start_date."));
            else if (end - start > MaxSpan) errors.Add(Bad("start_date and end_date may not span more than 90 days."));
        }
        if (errors.Count > 0) return Errors(StatusCodes.Status400BadRequest, call.Format, [.. errors]);

        var directory = Directory(http);
        bool Wanted(MatterStatus status, string category) =>
            (closedWanted is null || closedWanted.Contains(Open311Requests.IsClosed(status))) && (codes is null || codes.Contains(call.Catalog.CodeOf(directory, category)));

        // The index filters by date; status (open/closed spans several statuses) and service_code are checked here.
        var index = http.RequestServices.GetRequiredService<MatterIndex>();
        var skip = (long)(page - 1) * pageSize;
        var picked = new List<string>(Math.Min(pageSize, 100));
        string? continuation = null;
        do
        {
            // end_date is inclusive and the index's end exclusive; a millisecond, because Azurite compares instants to the millisecond.
            var rows = await index.QueryAsync(new MatterQuery(From: start, To: end!.Value.AddMilliseconds(1), PageSize: MaxRequests, ContinuationToken: continuation), now, http.RequestAborted)
                .ConfigureAwait(false);
            foreach (var row in rows.Items.Where(r => Wanted(r.Status, r.Category)))
            {
                if (skip > 0) { skip--; continue; }
                picked.Add(row.Id);
                if (picked.Count == pageSize) break;
            }
            continuation = rows.ContinuationToken;
        }
        while (picked.Count < pageSize && continuation is not null);

        // The index follows each change a moment later; what is shown is the matter as it is now.
        var loaded = await LoadAll(matters, picked, http.RequestAborted).ConfigureAwait(false);
        return Requests(http, call, [.. loaded.OfType<Matter>().Where(m => Wanted(m.Status, m.Intake.Category))]);
    });

    /// <summary>Anything the routes do not serve: a CORS preflight (OPTIONS), else the spec's 404.</summary>
    public static Task<IResult> NotFound(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (HttpMethods.IsOptions(http.Request.Method)) return Task.FromResult(Open311Cors.Preflight(http));
        return Task.FromResult(Errors(StatusCodes.Status404NotFound, Open311Formats.ForErrors(http.Request),
            $"There is no Open311 resource at {http.Request.Method} {http.Request.Path}; see {Base}/discovery.xml. Resources: services, services/{{service_code}}, requests, requests/{{service_request_id}}, tokens/{{token}}, each with .xml or .json."));
    }

    /// <summary>What every call checks first: the format, the jurisdiction and the api_key.</summary>
    private sealed record Call(Open311Format Format, Open311Catalog Catalog, Caller? Caller);

    private static async Task<IResult> Run(HttpContext http, bool keyRequired, Func<Call, Task<IResult>> body)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Open311Formats.Resolve(http.Request) is not { } format) return BadFormat(http);
        var q = http.Request.Query;
        var (call, refused) = Begin(http, format, Single(q, "jurisdiction_id"), Single(q, "api_key"), keyRequired);
        return refused ?? await body(call!).ConfigureAwait(false);
    }

    private static Task<IResult> Run(HttpContext http, bool keyRequired, Func<Call, IResult> body) =>
        Run(http, keyRequired, call => Task.FromResult(body(call)));

    /// <summary>
    /// The spec's jurisdiction_id may be left out when an endpoint serves one jurisdiction; one that is not ours is a 404, so
    /// an app configured for another city learns it instead of filing there. The api_key (or, as for every other hotline
    /// route, the x-functions-key header) must be a channel system's key where it is required (POST), and valid where given.
    /// </summary>
    private static (Call? Call, IResult? Refused) Begin(HttpContext http, Open311Format format, string? jurisdiction, string? apiKey, bool keyRequired)
    {
        var catalog = Open311Catalog.For(http.RequestServices);
        if (!string.IsNullOrWhiteSpace(jurisdiction) && !string.Equals(jurisdiction.Trim(), catalog.JurisdictionId, StringComparison.OrdinalIgnoreCase))
            return (null, Errors(StatusCodes.Status404NotFound, format, $"jurisdiction_id '{jurisdiction}' was not found; this endpoint serves {catalog.JurisdictionId}."));
        var key = string.IsNullOrWhiteSpace(apiKey) ? http.Request.Headers[ApiKeys.Header].ToString() : apiKey.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return keyRequired
                ? (null, Errors(StatusCodes.Status403Forbidden, format, "api_key is required to create a request. " + catalog.KeyService))
                : (new Call(format, catalog, null), null);
        }
        var limits = http.RequestServices.GetRequiredService<RateLimits>();
        if (limits.Blocked(http) is not null) return (null, TooManyFailures(format, limits));
        var caller = Identify(http, key);
        if (caller is null)
        {
            return (null, limits.Failed(http) is null ? Errors(StatusCodes.Status403Forbidden, format, "Invalid api_key received; cannot proceed.")
                : TooManyFailures(format, limits));
        }
        if (caller.Role != KeyRole.Channel) return (null, Errors(StatusCodes.Status403Forbidden, format, "api_key must be a channel system's key."));
        return (new Call(format, catalog, caller), null);
    }

    // RateLimits set Retry-After; the body stays in the spec's error format.
    private static IResult TooManyFailures(Open311Format format, RateLimits limits) =>
        Errors(StatusCodes.Status429TooManyRequests, format,
            $"More than {limits.FailedAuthenticationsPerMinute} requests from this address carried a wrong api_key within a minute; try again later.");

    /// <summary>Looks a key up the way the x-functions-key header is looked up, wherever the client sent it.</summary>
    private static Caller? Identify(HttpContext http, string key)
    {
        var probe = new DefaultHttpContext();
        probe.Request.Headers[ApiKeys.Header] = key;
        return http.RequestServices.GetRequiredService<ApiKeys>().Identify(probe.Request);
    }

    private static Open311Result Requests(HttpContext http, Call call, IReadOnlyList<Matter> matters)
    {
        var directory = Directory(http);
        var profile = http.RequestServices.GetRequiredService<RegulationProfile>();
        return Ok(call, "service_requests", new Open311List("request",
            [.. matters.Select(m => Open311Requests.View(m, Open311Requests.SubmittedBy(m, call.Caller), call.Catalog, directory, profile))]));
    }

    private static async Task<Matter?[]> LoadAll(MatterService matters, List<string> ids, CancellationToken cancellationToken)
    {
        var loaded = new Matter?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken },
            async (i, ct) => loaded[i] = (await matters.LoadAsync(ids[i], ct).ConfigureAwait(false))?.State).ConfigureAwait(false);
        return loaded;
    }

    private static OrganizerDirectory Directory(HttpContext http) => http.RequestServices.GetRequiredService<DirectoryStore>().Directory;

    private static Open311Result Ok(Call call, string root, Open311Value content) => new Open311Result(StatusCodes.Status200OK, new Open311Document(root, content), call.Format);

    private static IResult Fail(Call call, int status, string description) => Errors(status, call.Format, description);

    public static IResult Errors(int status, Open311Format format, params string[] descriptions) =>
        Errors(status, format, [.. descriptions.Select(d => new Open311Error(status, d))]);

    /// <summary>The spec's error body: <c>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;</c>, a JSON array in JSON.</summary>
    public static IResult Errors(int status, Open311Format format, params Open311Error[] errors) =>
        new Open311Result(status, new Open311Document("errors", new Open311List("error", [.. errors.Select(e => Open311Object.Of(
            ("code", Open311Value.Of((double?)e.Code)),
            ("description", Open311Value.Of(e.Description))))])), format);

    private static IResult BadFormat(HttpContext http) =>
        Errors(StatusCodes.Status400BadRequest, Open311Formats.ForErrors(http.Request),
            $"Unknown format '{http.Request.RouteValues["format"]}': end the resource with .xml or .json.");

    private static Open311Error Bad(string description) => new(StatusCodes.Status400BadRequest, description);

    private static string RouteValue(HttpContext http, string name) => http.Request.RouteValues[name]?.ToString() ?? "";

    private static string? Single(IQueryCollection q, string name) => q[name].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string? Either(IFormCollection form, IQueryCollection q, string name) =>
        form[name].FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? Single(q, name);

    /// <summary>A list argument: comma-separated, repeated, or both (the spec allows "declared multiple times, comma delimited").</summary>
    private static List<string> List(IQueryCollection q, string name) =>
        [.. q[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    private static DateTimeOffset? Date(IQueryCollection q, string name, List<Open311Error> errors)
    {
        if (Single(q, name) is not { } text) return null;
        if (Open311Time.TryParse(text.Trim(), out var value)) return value;
        errors.Add(Bad($"{name} must be a W3C date-time with a time zone, e.g. 2010-01-01T00:00:00Z."));
        return null;
    }

    private static int Whole(IQueryCollection q, string name, int min, int max, int fallback, List<Open311Error> errors)
    {
        if (Single(q, name) is not { } text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        errors.Add(Bad($"{name} must be a whole number from {min} to {max}."));
        return fallback;
    }

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Open311Endpoints).FullName!);

    [LoggerMessage(Level = LogLevel.Error, Message = "Open311 intake failed in storage: {Status} {ErrorCode}")]
    private static partial void LogStorageFailure(ILogger logger, int status, string? errorCode);
}
