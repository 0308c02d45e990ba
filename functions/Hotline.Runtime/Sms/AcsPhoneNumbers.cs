namespace Hotline.Runtime.Sms;

/// <summary>
/// Communication Services addresses recipients in E.164 (<c>+8613905710001</c>); the organizer directory keeps
/// mainland mobile numbers as dialled (<c>13905710001</c>). This bridges the two.
/// </summary>
public static class AcsPhoneNumbers
{
    /// <summary>
    /// <paramref name="number"/> in E.164: kept as is when it starts with '+', "00" becomes '+', and an 11-digit
    /// mainland-China mobile number (1[3-9]xxxxxxxxx) gets +86. Spaces, dashes and parentheses are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">Not a number that can receive SMS in one of those forms. The message
    /// does not repeat the number: exception messages end up in logs and in the poison list.</exception>
    public static string ToE164(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var compact = string.Concat(number.Where(c => c is not (' ' or '-' or '(' or ')')));
        string? e164 = null;
        if (compact.StartsWith('+'))
        {
            e164 = compact;
        }
        else if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            e164 = "+" + compact[2..];
        }
        else if (compact.Length == 11 && compact[0] == '1' && compact[1] is >= '3' and <= '9' && compact.All(char.IsAsciiDigit))
        {
            e164 = "+86" + compact;
        }

        // E.164: a country code that does not start with 0, at most 15 digits in all.
        if (e164 is null || e164.Length is < 8 or > 16 || e164[1] == '0' || e164.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException($"The recipient number ({compact.Length} characters) is neither E.164 nor a mainland-China mobile number.", nameof(number));
        }
        return e164;
    }
}
