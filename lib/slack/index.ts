// The Slack message pipeline's pure half: SNS notification → AlarmNotification → Slack message.
export * from './notification';
export * from './render';
export { alarmConsoleUrl, alarmLocation, regionCodeFromName } from './console-link';
export { escapeMrkdwn, defuseMentions } from './escape';
