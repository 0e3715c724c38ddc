<?xml version="1.0" encoding="UTF-8"?>
<!-- FIKTIVE DEMODATA for Næringskart - ikke en gjeldende plan. Fictional demo data. -->
<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="http://skjema.geonorge.no/SOSI/produktspesifikasjon/Reguleringsplan/4.5" xmlns:xlink="http://www.w3.org/1999/xlink" gml:id="_a37325e6-195d-5ad3-82ca-b4f01c8e6e30">
<gml:boundedBy><gml:Envelope srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2"><gml:lowerCorner>583187.31 6627897.10</gml:lowerCorner><gml:upperCorner>583607.31 6628197.10</gml:upperCorner></gml:Envelope></gml:boundedBy>
<gml:featureMember>
<app:RpOmråde gml:id="_0fafb75d-724c-5635-8726-ff27035e9b35">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>50e887c8-e59b-55ee-913a-e515ba7a2777</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_0fafb75d-724c-5635-8726-ff27035e9b35-g0" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583187.31 6627897.10 583387.31 6627897.10 583402.31 6627897.10 583607.31 6627897.10 583607.31 6628077.10 583607.31 6628197.10 583402.31 6628197.10 583387.31 6628197.10 583187.31 6628197.10 583187.31 6628047.10 583187.31 6627897.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:plannavn>Detaljregulering for Slemmestad sentrum vest (fiktiv)</app:plannavn>
<app:plantype>35</app:plantype>
<app:planstatus>3</app:planstatus>
<app:ikrafttredelsesdato>2017-06-20</app:ikrafttredelsesdato>
<app:vedtakEndeligPlanDato>2017-06-20</app:vedtakEndeligPlanDato>
<app:lovreferanse>6</app:lovreferanse>
</app:RpOmråde>
</gml:featureMember>
<gml:featureMember>
<app:RpArealformålOmråde gml:id="_45fd5f65-cfad-59f0-92a4-7ba92a8afd63">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>45fd5f65-cfad-59f0-92a4-7ba92a8afd63</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_45fd5f65-cfad-59f0-92a4-7ba92a8afd63-g" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583187.31 6627897.10 583387.31 6627897.10 583387.31 6628047.10 583187.31 6628047.10 583187.31 6627897.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:arealformål>1300</app:arealformål>
<app:feltnavn>BN1</app:feltnavn>
<app:eierform>3</app:eierform>
<app:utnytting><app:Utnytting>
<app:utnyttingstype>16</app:utnyttingstype>
<app:utnyttingstall>60</app:utnyttingstall>
</app:Utnytting></app:utnytting>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:planområde xlink:href="#_0fafb75d-724c-5635-8726-ff27035e9b35"/>
</app:RpArealformålOmråde>
</gml:featureMember>
<gml:featureMember>
<app:RpArealformålOmråde gml:id="_82204c10-c47b-5653-8dba-5161f600ccc4">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>82204c10-c47b-5653-8dba-5161f600ccc4</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_82204c10-c47b-5653-8dba-5161f600ccc4-g" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583187.31 6628047.10 583387.31 6628047.10 583387.31 6628197.10 583187.31 6628197.10 583187.31 6628047.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:arealformål>1800</app:arealformål>
<app:feltnavn>BKB1</app:feltnavn>
<app:eierform>3</app:eierform>
<app:utnytting><app:Utnytting>
<app:utnyttingstype>18</app:utnyttingstype>
<app:utnyttingstall>160</app:utnyttingstall>
</app:Utnytting></app:utnytting>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:planområde xlink:href="#_0fafb75d-724c-5635-8726-ff27035e9b35"/>
</app:RpArealformålOmråde>
</gml:featureMember>
<gml:featureMember>
<app:RpArealformålOmråde gml:id="_f62cd250-02da-5c8f-9e99-5517930ff735">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>f62cd250-02da-5c8f-9e99-5517930ff735</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_f62cd250-02da-5c8f-9e99-5517930ff735-g" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583387.31 6627897.10 583402.31 6627897.10 583402.31 6628077.10 583402.31 6628197.10 583387.31 6628197.10 583387.31 6628047.10 583387.31 6627897.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:arealformål>2011</app:arealformål>
<app:feltnavn>o_SKV1</app:feltnavn>
<app:eierform>1</app:eierform>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:planområde xlink:href="#_0fafb75d-724c-5635-8726-ff27035e9b35"/>
</app:RpArealformålOmråde>
</gml:featureMember>
<gml:featureMember>
<app:RpArealformålOmråde gml:id="_efc9aaf9-b4fa-5329-9d0a-d12fbfbb15f3">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>efc9aaf9-b4fa-5329-9d0a-d12fbfbb15f3</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_efc9aaf9-b4fa-5329-9d0a-d12fbfbb15f3-g" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583402.31 6627897.10 583607.31 6627897.10 583607.31 6628077.10 583402.31 6628077.10 583402.31 6627897.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:arealformål>1340</app:arealformål>
<app:feltnavn>BI1</app:feltnavn>
<app:eierform>3</app:eierform>
<app:utnytting><app:Utnytting>
<app:utnyttingstype>16</app:utnyttingstype>
<app:utnyttingstall>50</app:utnyttingstall>
</app:Utnytting></app:utnytting>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:planområde xlink:href="#_0fafb75d-724c-5635-8726-ff27035e9b35"/>
</app:RpArealformålOmråde>
</gml:featureMember>
<gml:featureMember>
<app:RpArealformålOmråde gml:id="_5da26560-5197-5897-ad24-766234b673f8">
<app:identifikasjon><app:Identifikasjon>
<app:lokalId>5da26560-5197-5897-ad24-766234b673f8</app:lokalId>
<app:navnerom>https://data.example.no/3203/demo</app:navnerom>
<app:versjonId>1</app:versjonId>
</app:Identifikasjon></app:identifikasjon>
<app:område>
<gml:Polygon gml:id="_5da26560-5197-5897-ad24-766234b673f8-g" srsName="http://www.opengis.net/def/crs/EPSG/0/25832" srsDimension="2">
<gml:exterior><gml:LinearRing><gml:posList>583402.31 6628077.10 583607.31 6628077.10 583607.31 6628197.10 583402.31 6628197.10 583402.31 6628077.10</gml:posList></gml:LinearRing></gml:exterior>
</gml:Polygon>
</app:område>
<app:arealformål>3040</app:arealformål>
<app:feltnavn>o_GF1</app:feltnavn>
<app:eierform>1</app:eierform>
<app:nasjonalArealplanId><app:NasjonalArealplanId>
<app:kommunenummer>3203</app:kommunenummer>
<app:planidentifikasjon>2016007</app:planidentifikasjon>
</app:NasjonalArealplanId></app:nasjonalArealplanId>
<app:planområde xlink:href="#_0fafb75d-724c-5635-8726-ff27035e9b35"/>
</app:RpArealformålOmråde>
</gml:featureMember>
</gml:FeatureCollection>
