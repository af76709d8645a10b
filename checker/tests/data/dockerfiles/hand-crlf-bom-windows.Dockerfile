# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
COPY app C:\app
WORKDIR C:\app
USER ContainerUser
CMD ["app.exe"]
