using Shixin.Server.Courts;
using Shixin.Server.Public;
using Shixin.Server.Units;

namespace Shixin.Server.Hub;

/// <summary>The oversight features' application services, one per action (the endpoints, consoles and the demo share them).</summary>
public static class OversightServices
{
    public static IServiceCollection AddOversight(this IServiceCollection s)
    {
        s.AddSingleton<ObjectionSuspensions>();
        s.AddSingleton<RecordFeedbackService>();
        s.AddSingleton<FileObjectionService>();
        s.AddSingleton<VerifyObjectionService>();
        s.AddSingleton<FeedbackReads>();
        s.AddSingleton<FileComplaintService>();
        s.AddSingleton<AnswerComplaintService>();
        s.AddSingleton<ApplyForRepairService>();
        s.AddSingleton<DecideRepairService>();
        s.AddSingleton<IssueNoticeService>();
        s.AddSingleton<ConfirmQuarterService>();
        s.AddSingleton<RecordSpecialNotificationService>();
        s.AddSingleton<OversightReads>();
        return s;
    }
}
