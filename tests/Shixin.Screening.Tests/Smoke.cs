public class SmokeScreening { [Fact] public void Builds() => true.ShouldBeTrue(); }
