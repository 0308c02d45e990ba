using System.ComponentModel.DataAnnotations;
using Hotline.Orchestrations.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Hotline.Api;

/// <summary>
/// The settings operators set (section <c>Hotline</c>; <c>Hotline__RateLimit__PerMinute</c> as an app setting), checked
/// the same way in both hosts: a bad value stops start-up with a message naming the setting, rather than serving with
/// a default nobody chose or failing on the first request.
/// </summary>
public sealed class HotlineOptions : IValidatableObject
{
    public const string Section = "Hotline";

    /// <summary>The regulation profile the deployment runs.</summary>
    public string Profile { get; set; } = ProfileCatalog.DefaultProfileId;

    /// <summary>Where the organizer pages are reached from outside (SMS links); empty: the host's own address.</summary>
    public string? PublicBaseUri { get; set; }

    /// <summary>Prefixes every table name, so that several deployments (or test runs) share one account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,19}$", ErrorMessage = "Hotline:TablePrefix must be a letter followed by at most 19 letters or digits (table names allow nothing else).")]
    public string? TablePrefix { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();

    public ReturnVisitSettings ReturnVisits { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ProfileCatalog.Ids.Contains(Profile, StringComparer.Ordinal))
            yield return new ValidationResult($"Hotline:Profile must be one of {string.Join(", ", ProfileCatalog.Ids.Order(StringComparer.Ordinal))}; it is '{Profile}'.", [nameof(Profile)]);
        if (!string.IsNullOrEmpty(PublicBaseUri) && !(Uri.TryCreate(PublicBaseUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            yield return new ValidationResult("Hotline:PublicBaseUri must be an absolute http(s) address, e.g. https://12345.example.gov.cn/.", [nameof(PublicBaseUri)]);
        foreach (var nested in new object[] { RateLimit, ReturnVisits })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(nested, new ValidationContext(nested), results, validateAllProperties: true);
            foreach (var result in results) yield return result;
        }
    }

    /// <summary>Binds and checks the section; throws <see cref="OptionsValidationException"/> naming each bad setting.</summary>
    public static HotlineOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<HotlineOptions>() ?? new HotlineOptions();
        var result = new DataAnnotationValidateOptions<HotlineOptions>(Options.DefaultName).Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(HotlineOptions), result.Failures) : options;
    }
}

/// <summary>In-memory limits, per instance of the host (<c>Hotline:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    [Range(1, 1_000_000, ErrorMessage = "Hotline:RateLimit:PerMinute must be from 1 to 1000000 requests a minute.")]
    public int PerMinute { get; set; } = 600;

    [Range(1, 1_000_000, ErrorMessage = "Hotline:RateLimit:PerLinkPerMinute must be from 1 to 1000000 requests a minute.")]
    public int PerLinkPerMinute { get; set; } = 120;

    [Range(1, 1_000_000, ErrorMessage = "Hotline:RateLimit:FailedAuthenticationsPerMinute must be from 1 to 1000000 a minute.")]
    public int FailedAuthenticationsPerMinute { get; set; } = 30;
}

/// <summary>The share of closed matters drawn for a return visit (<c>Hotline:ReturnVisits</c>).</summary>
public sealed class ReturnVisitSettings
{
    [Range(0.0, 1.0, ErrorMessage = "Hotline:ReturnVisits:Share must be a fraction from 0 to 1.")]
    public double Share { get; set; } = 0.1;

    [MinLength(1, ErrorMessage = "Hotline:ReturnVisits:Seed must not be empty.")]
    public string Seed { get; set; } = "hotline-return-visits";
}
